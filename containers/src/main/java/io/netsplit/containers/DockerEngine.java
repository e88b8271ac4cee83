package io.netsplit.containers;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * Whether a Docker engine answers, as Testcontainers sees it, and the one reason every
 * container-backed test gives when it does not.
 */
public final class DockerEngine {

    /** The reason a container-backed test reports when it is skipped. */
    public static final String SKIP_REASON = "skipped: no Docker engine";

    private DockerEngine() {
    }

    /** Testcontainers' own check (environment, socket, context); cached by Testcontainers. */
    public static boolean available() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static ConditionEvaluationResult condition(BooleanSupplier available) {
        return available.getAsBoolean()
                ? ConditionEvaluationResult.enabled("Docker engine available")
                : ConditionEvaluationResult.disabled(SKIP_REASON);
    }
}
