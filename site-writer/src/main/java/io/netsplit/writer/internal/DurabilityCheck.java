package io.netsplit.writer.internal;

import io.netsplit.kit.TopicSettings;
import io.netsplit.writer.SiteWriterConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's start-up check of the topic it acknowledges on: an acks=all write to {@code changes} survives the loss
 * of one broker only with 3 replicas and {@code min.insync.replicas} ≥ 2 ({@link TopicSettings}). Otherwise the writer
 * refuses to start, or, with {@code writer.durability.check=warn} (the lab), logs one warning.
 */
public final class DurabilityCheck {

    private static final Logger log = LoggerFactory.getLogger(DurabilityCheck.class);

    private DurabilityCheck() {
    }

    /** Checks {@code changes}; throws a {@link IllegalStateException} naming the problem unless warnings are allowed. */
    public static void verify(SiteWriterConfig config) throws InterruptedException {
        Map<String, Object> p = new HashMap<>(config.kafkaOverrides());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.startupTimeout().toMillis());
        List<String> problems;
        try (Admin admin = Admin.create(p)) {
            problems = TopicSettings.durabilityProblems(admin, List.of(config.changesTopic()),
                    config.startupTimeout().toMillis());
        } catch (ExecutionException | TimeoutException e) {
            problems = List.of("cannot describe topic " + config.changesTopic() + " ("
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
        String line = String.join("; ", problems) + ": an acknowledged write would not survive the loss of one broker";
        if (warnOnly) {
            log.warn("{} ({}=warn: starting anyway)", line, SiteWriterConfig.DURABILITY_CHECK);
            return Optional.empty();
        }
        return Optional.of(line + " (set " + SiteWriterConfig.DURABILITY_CHECK + "=warn to start anyway)");
    }
}
