package io.netsplit.kit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The one place that decides how a topic of the pipeline is created, and whether an existing topic can keep an
 * acknowledged write. The lab, the reconciler and the mirror create topics through {@link #newTopic}; the writer
 * checks the topic it acknowledges on with {@link #durabilityProblems}.
 *
 * <p>Retention: {@code changes} (and each mirrored {@code <alias>.changes}) is created with an explicit
 * {@code retention.ms}, by default {@value #CHANGES_RETENTION_DEFAULT} (kept forever): every ChangeEvent is an
 * acknowledged write, and a mirror or reconciler that is behind by more than the retention would otherwise find the
 * records gone. The ordered log, {@code audit} and the dead-letter topic are kept forever too; {@code converged} is
 * compacted. Replication: {@link #replicationFactor(int)} replicas (at most {@value #DURABLE_REPLICAS}) and, with
 * three or more, {@code min.insync.replicas} = {@value #DURABLE_MIN_INSYNC}, so that an acks=all write survives the
 * loss of one broker.
 */
public final class TopicSettings {

    /** Kept forever: a gap in {@code changes} is a lost acknowledged write. */
    public static final long CHANGES_RETENTION_DEFAULT = -1L;

    /** Replicas a durable topic needs. */
    public static final int DURABLE_REPLICAS = 3;
    /** In-sync replicas an acks=all write needs on a durable topic. */
    public static final int DURABLE_MIN_INSYNC = 2;

    private TopicSettings() {
    }

    /** The replication factor for a cluster of {@code brokers} brokers: min(3, brokers). */
    public static short replicationFactor(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster has at least one broker, not " + brokers);
        }
        return (short) Math.min(DURABLE_REPLICAS, brokers);
    }

    /** The topic configuration of {@code kind} at {@code replicas} replicas ({@code changesRetentionMs} for changes). */
    public static Map<String, String> configs(TopicName kind, short replicas, long changesRetentionMs) {
        Map<String, String> c = new LinkedHashMap<>();
        switch (kind) {
            case CHANGES -> c.put("retention.ms", Long.toString(changesRetentionMs));
            case CONVERGED -> c.put("cleanup.policy", "compact");
            case AUDIT, DLQ, LOG, REDRIVE -> {
                c.put("cleanup.policy", "delete");
                c.put("retention.ms", "-1");
            }
            case HEALTH_STATUS -> {
                // status changes and heartbeats: the broker's retention is enough
            }
        }
        if (replicas >= DURABLE_REPLICAS) {
            c.put("min.insync.replicas", Integer.toString(DURABLE_MIN_INSYNC));
        }
        return c;
    }

    /** A topic named {@code name} of {@code kind} with {@link #configs}. */
    public static NewTopic newTopic(TopicName kind, String name, int partitions, short replicas, long changesRetentionMs) {
        return new NewTopic(name, partitions, replicas).configs(configs(kind, replicas, changesRetentionMs));
    }

    /**
     * Why {@code topic} cannot keep an acknowledged write through the loss of one broker, or empty: fewer than
     * {@value #DURABLE_REPLICAS} replicas, or {@code min.insync.replicas} below {@value #DURABLE_MIN_INSYNC}.
     */
    public static Optional<String> durabilityProblem(String topic, int replicas, int minInsync) {
        List<String> why = new ArrayList<>();
        if (replicas < DURABLE_REPLICAS) {
            why.add("replication factor " + replicas + " < " + DURABLE_REPLICAS);
        }
        if (minInsync < DURABLE_MIN_INSYNC) {
            why.add("min.insync.replicas " + minInsync + " < " + DURABLE_MIN_INSYNC);
        }
        return why.isEmpty() ? Optional.empty() : Optional.of("topic " + topic + ": " + String.join(", ", why));
    }

    /**
     * Describes {@code topics} (replicas of their first partition, effective {@code min.insync.replicas}) and returns
     * one {@link #durabilityProblem} per topic that has one; a missing topic is an exception.
     */
    public static List<String> durabilityProblems(Admin admin, Collection<String> topics, long timeoutMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        List<String> problems = new ArrayList<>();
        for (String t : topics) {
            int replicas = described.get(t).partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
            ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t)).get("min.insync.replicas");
            int min = minIsr == null || minIsr.value() == null ? 1 : Integer.parseInt(minIsr.value());
            durabilityProblem(t, replicas, min).ifPresent(problems::add);
        }
        return problems;
    }
}
