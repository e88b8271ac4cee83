package io.netsplit.containers;

import io.netsplit.lab.Lab;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a {@link Lab} parameter backed by a {@link ContainersLab}: one
 * per test JVM, started on first use, stopped when the JVM's tests are done. Without a Docker engine
 * every test it is registered on is skipped with the reason {@value DockerEngine#SKIP_REASON}.
 *
 * <p>System properties: {@code lab.sites} (default {@code us-east,eu-west}); the run directory
 * (where {@code lab.json} goes) is {@code lab.dir}, default {@code target/containers-lab}.
 */
public final class ContainersLabExtension implements ExecutionCondition, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ContainersLabExtension.class);

    private final BooleanSupplier dockerAvailable;

    public ContainersLabExtension() {
        this(DockerEngine::available);
    }

    ContainersLabExtension(BooleanSupplier dockerAvailable) {
        this.dockerAvailable = dockerAvailable;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return DockerEngine.condition(dockerAvailable);
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> type = pc.getParameter().getType();
        return type == Lab.class || type == ContainersLab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        return ec.getRoot().getStore(NS).getOrComputeIfAbsent("lab", k -> new Holder(start()), Holder.class).lab;
    }

    static List<String> sites() {
        return Arrays.stream(System.getProperty("lab.sites", "us-east,eu-west").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static ContainersLab start() {
        Path dir = Path.of(System.getProperty("lab.dir",
                Path.of(System.getProperty("user.dir"), "target", "containers-lab").toString()));
        ContainersLab lab = ContainersLab.start(sites(), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "containers-lab-shutdown"));
        return lab;
    }

    /** Closes the lab when the root context closes (end of the test JVM's run). */
    private record Holder(ContainersLab lab) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            lab.close();
        }
    }
}
