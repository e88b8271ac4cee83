package io.netsplit.reconcile.internal;

import io.netsplit.kit.TopicSettings;
import io.netsplit.reconcile.ReconcileConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's start-up check of the topics it acknowledges on ({@code converged}, {@code audit}, the dead-letter
 * topic and the ordered log): a record committed there survives the loss of one broker only with 3 replicas and
 * {@code min.insync.replicas} ≥ 2 ({@link TopicSettings}). Otherwise the reconciler refuses to start, or, with
 * {@code reconcile.durability.check=warn} (the lab with fewer than 3 brokers per site), logs one warning.
 */
public final class DurabilityCheck {

    private static final Logger log = LoggerFactory.getLogger(DurabilityCheck.class);
    private static final long TIMEOUT_MS = 30_000;

    private DurabilityCheck() {
    }

    /** Checks the output topics (they exist: {@link TopicSetup} ran); throws naming the problem unless warnings are allowed. */
    public static void verify(Admin admin, ReconcileConfig config) throws InterruptedException {
        ReconcileConfig.Topics t = config.topics();
        List<String> topics = List.of(t.converged(), t.audit(), t.dlq(), t.log());
        List<String> problems;
        try {
            problems = TopicSettings.durabilityProblems(admin, topics, TIMEOUT_MS);
        } catch (ExecutionException | TimeoutException e) {
            problems = List.of("cannot describe topics " + topics + " ("
                    + (e.getCause() == null ? e : e.getCause()).getMessage() + ")");
        }
        outcome(problems, config.durabilityWarnOnly()).ifPresent(line -> {
            throw new IllegalStateException(line);
        });
    }

    /** The refusal for {@code problems}, or empty when there is none or (after one warning) warnings are allowed. */
    static Optional<String> outcome(List<String> problems, boolean warnOnly) {
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        String line = String.join("; ", problems) + ": a committed merge result would not survive the loss of one broker";
        if (warnOnly) {
            log.warn("{} ({}=warn: starting anyway)", line, ReconcileConfig.DURABILITY_CHECK);
            return Optional.empty();
        }
        return Optional.of(line + " (set " + ReconcileConfig.DURABILITY_CHECK + "=warn to start anyway)");
    }
}
