package io.netsplit.lab;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * JUnit 5 extension that gives tests a {@link Lab} parameter: one embedded lab per test JVM,
 * started on first use and stopped when the JVM's tests are done. Tests share it and isolate
 * themselves by topic and key names.
 *
 * <p>System properties: any {@code lab.*} key of {@link LabConfig} (e.g. {@code -Dlab.sites=a,b,c}),
 * component settings as {@code lab.set.<key>};
 * {@code netsplit.lab.dir} points the extension at an already running lab instead of starting one.
 * The run directory defaults to {@code target/lab} of the module under test.
 */
public final class LabExtension implements ParameterResolver {

    /** {@code -Dlab.set.reconcile.policy.default=manual} passes {@code reconcile.policy.default} to the components. */
    public static final String SETTING_PREFIX = "lab.set.";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> type = pc.getParameter().getType();
        return type == Lab.class || type == EmbeddedLab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Lab lab = ec.getRoot().getStore(NS).getOrComputeIfAbsent("lab", k -> new Holder(startOrOpen()), Holder.class).lab;
        if (pc.getParameter().getType() == EmbeddedLab.class && !(lab instanceof EmbeddedLab)) {
            throw new ParameterResolutionException("this test needs an embedded lab, but netsplit.lab.dir points at "
                    + lab.runDir());
        }
        return lab;
    }

    private static Lab startOrOpen() {
        String existing = System.getProperty("netsplit.lab.dir");
        if (existing != null && !existing.isBlank()) {
            return DescribedLab.open(Path.of(existing));
        }
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(SETTING_PREFIX)) {
                props.put(key.substring(SETTING_PREFIX.length()), v.toString());
            } else if (key.startsWith("lab.")) {
                props.put(key, v.toString());
            }
        });
        props.putIfAbsent(LabConfig.DIR, Path.of(System.getProperty("user.dir"), "target", "lab").toString());
        EmbeddedLab lab = EmbeddedLab.start(LabConfig.parse(props), new PrintStream(System.out, true));
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "lab-shutdown"));
        return lab;
    }

    /** Closes the lab when the root context closes (end of the test JVM's run). */
    private record Holder(Lab lab) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (lab instanceof EmbeddedLab embedded) {
                embedded.close();
            }
        }
    }
}
