package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every setting the image's entrypoint passes to a service is a key that service's config defines. */
class EntrypointTest {

    private static final Map<String, String> CONFIG_CLASS = Map.of(
            "writer", "io.netsplit.writer.SiteWriterConfig",
            "reconciler", "io.netsplit.reconcile.ReconcileConfig",
            "audit", "io.netsplit.audit.AuditSinkConfig");

    private final String entrypoint = Repo.read("docker/netsplit-entrypoint.sh");

    @Test
    void shouldPassOnlyKeysEachServiceDefines() throws Exception {
        for (Map.Entry<String, String> e : CONFIG_CLASS.entrySet()) {
            List<String> keys = keysPassedTo(e.getKey());
            assertThat(keys).as("settings passed to " + e.getKey()).hasSizeGreaterThanOrEqualTo(5);
            assertThat(definedKeys(e.getValue())).as(e.getValue() + " defines every key the entrypoint sets")
                    .containsAll(keys);
        }
    }

    @Test
    void shouldBindEveryHttpApiToAllInterfacesOfTheContainer() {
        assertThat(entrypoint).contains("writer.http.host=0.0.0.0").contains("audit.http.host=0.0.0.0");
    }

    /** The {@code key=} settings inside the service's {@code case} branch. */
    private List<String> keysPassedTo(String service) {
        int start = entrypoint.indexOf("\n  " + service + ")");
        assertThat(start).as("entrypoint handles " + service).isPositive();
        String branch = entrypoint.substring(start, entrypoint.indexOf(";;", start));
        Matcher m = Pattern.compile("\"([a-z][a-z0-9.-]*)=").matcher(branch);
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static Set<String> definedKeys(String className) throws Exception {
        Set<String> keys = new HashSet<>();
        for (Field f : Class.forName(className).getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == String.class && !f.getName().endsWith("_DOC")) {
                f.setAccessible(true);
                keys.add((String) f.get(null));
            }
        }
        return keys;
    }
}
