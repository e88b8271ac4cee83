package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsplit.health.HealthConfig;
import io.netsplit.health.HealthMain;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting the image's entrypoint passes to a service is a key that service's config defines;
 * and, run with a stand-in {@code java} that prints its command line, the entrypoint starts the
 * health checker with the compose descriptor and needs a site only for the site services.
 */
class EntrypointTest {

    /** The config class of each service and how many settings the entrypoint passes it at least. */
    private record ServiceConfig(String className, int minimumKeys) {
    }

    private static final Map<String, ServiceConfig> CONFIG_CLASS = Map.of(
            "writer", new ServiceConfig("io.netsplit.writer.SiteWriterConfig", 5),
            "reconciler", new ServiceConfig("io.netsplit.reconcile.ReconcileConfig", 5),
            "audit", new ServiceConfig("io.netsplit.audit.AuditSinkConfig", 5),
            "health", new ServiceConfig("io.netsplit.health.HealthConfig", 3));

    /** Where the image holds the checker's descriptor: the Dockerfile's {@code COPY docker/health/ ...}. */
    static final String HEALTH_DESCRIPTOR = "/opt/netsplit/health/lab.json";

    private final String entrypoint = Repo.read("docker/netsplit-entrypoint.sh");

    @TempDir
    Path tmp;

    @Test
    void shouldPassOnlyKeysEachServiceDefines() throws Exception {
        for (Map.Entry<String, ServiceConfig> e : CONFIG_CLASS.entrySet()) {
            List<String> keys = keysPassedTo(e.getKey());
            assertThat(keys).as("settings passed to " + e.getKey()).hasSizeGreaterThanOrEqualTo(e.getValue().minimumKeys());
            String configClass = e.getValue().className();
            assertThat(definedKeys(configClass)).as(configClass + " defines every key the entrypoint sets").containsAll(keys);
        }
    }

    @Test
    void shouldBindEveryHttpApiToAllInterfacesOfTheContainer() {
        for (String service : CONFIG_CLASS.keySet()) {
            assertThat(keysPassedTo(service)).as(service).contains("http.host");
            assertThat(branch(service)).as(service).contains("--set \"http.host=0.0.0.0\"");
        }
    }

    @Test
    void shouldStartTheHealthCheckerOnTheComposeDescriptorWithoutASite() throws Exception {
        // Given no NETSPLIT_SITE: one checker serves every site
        // When the entrypoint runs `health` with an extra setting
        Run run = runEntrypoint(Map.of(), "health", "--set", "health.interval.ms=1000");

        // Then it execs the checker on the image's classpath, with the lab's heap, serving the port
        // compose publishes and healthcheck.sh asks, and passes the extra setting on last
        assertThat(run.exit()).as(run.output()).isZero();
        List<String> java = run.javaArgs();
        assertThat(java.subList(0, 5)).containsExactly("-Xmx128m", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=/opt/netsplit/logback.xml", "-cp", "/opt/netsplit/lib/*");
        assertThat(java.get(5)).isEqualTo("io.netsplit.health.HealthMain");
        List<String> settings = java.subList(6, java.size());
        assertThat(settings).containsExactly("--set", "health.descriptor=" + HEALTH_DESCRIPTOR, "--set",
                "http.host=0.0.0.0", "--set", "http.port=8080", "--set", "health.interval.ms=1000");
        // and HealthMain's own command line and config accept every setting
        HealthConfig config = new HealthConfig(HealthMain.service().settings(settings.toArray(String[]::new)));
        assertThat(config.descriptor()).isEqualTo(HEALTH_DESCRIPTOR);
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.interval().toMillis()).isEqualTo(1000);
    }

    @Test
    void shouldStillRequireASiteForEverySiteService() throws Exception {
        for (String service : List.of("writer", "reconciler", "audit", "mirror")) {
            Run run = runEntrypoint(Map.of("NETSPLIT_BOOTSTRAP", "kafka:9092", "NETSPLIT_REGISTRY", "http://registry:8080",
                    "NETSPLIT_SITES", "us-east,eu-west"), service);
            assertThat(run.exit()).as(service + " without NETSPLIT_SITE").isNotZero();
            assertThat(run.output()).as(service).contains("NETSPLIT_SITE is required");
            assertThat(run.javaArgs()).as(service + " started no JVM").isEmpty();
        }
    }

    private record Run(int exit, String output, List<String> javaArgs) {
    }

    /**
     * Runs docker/netsplit-entrypoint.sh with only {@code env} (and a PATH whose {@code java} writes its
     * arguments to a file instead of starting a JVM).
     */
    private Run runEntrypoint(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(bash), "skipped: no /bin/bash to run the entrypoint with");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path argsFile = tmp.resolve("java-args");
        Files.deleteIfExists(argsFile);
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/bash\nprintf '%s\\n' \"$@\" > '" + argsFile + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> command = new ArrayList<>(List.of(bash.toString(),
                Repo.ROOT.resolve("docker/netsplit-entrypoint.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("entrypoint finished").isTrue();
        List<String> javaArgs = Files.exists(argsFile) ? Files.readAllLines(argsFile) : List.of();
        return new Run(p.exitValue(), output, javaArgs);
    }

    /** The service's {@code case} branch. */
    private String branch(String service) {
        int start = entrypoint.indexOf("\n  " + service + ")");
        assertThat(start).as("entrypoint handles " + service).isPositive();
        String branch = entrypoint.substring(start, entrypoint.indexOf(";;", start));
        assertThat(branch).as("the " + service + " branch").contains("exec java");
        return branch;
    }

    /** The {@code --set "key=} settings inside the service's {@code case} branch. */
    private List<String> keysPassedTo(String service) {
        String branch = branch(service);
        Matcher m = Pattern.compile("--set \"([a-z][a-z0-9.-]*)=").matcher(branch);
        assertThat(Pattern.compile("\"[a-z][a-z0-9.-]*=").matcher(branch).results().count())
                .as("the " + service + " branch passes every setting as --set").isEqualTo(m.results().count());
        m.reset();
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
