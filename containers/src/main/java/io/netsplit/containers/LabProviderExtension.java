package io.netsplit.containers;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests that run on either lab: {@code -Dnetsplit.lab.provider=containers}
 * gives them a {@link ContainersLab} (skipped with {@value DockerEngine#SKIP_REASON} where there is
 * no Docker engine); {@code embedded} (the default) delegates to {@link LabExtension}, including its
 * {@code netsplit.lab.dir} for a running lab.
 */
public final class LabProviderExtension implements ExecutionCondition, ParameterResolver {

    /** The system property that picks the provider. */
    public static final String PROVIDER_PROPERTY = "netsplit.lab.provider";
    public static final String EMBEDDED = "embedded";
    public static final String CONTAINERS = "containers";

    private final LabExtension embedded = new LabExtension();
    private final ContainersLabExtension containers = new ContainersLabExtension();

    /** The configured provider; a clear error for an unknown name. */
    public static String provider() {
        String p = System.getProperty(PROVIDER_PROPERTY, EMBEDDED).trim().toLowerCase(Locale.ROOT);
        if (!p.equals(EMBEDDED) && !p.equals(CONTAINERS)) {
            throw new IllegalArgumentException(PROVIDER_PROPERTY + "=" + p + " is not one of " + EMBEDDED + ", " + CONTAINERS);
        }
        return p;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return provider().equals(CONTAINERS)
                ? containers.evaluateExecutionCondition(context)
                : ConditionEvaluationResult.enabled("embedded lab");
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        return provider().equals(CONTAINERS) ? containers.resolveParameter(pc, ec) : embedded.resolveParameter(pc, ec);
    }
}
