package io.netsplit.mirror;

import io.netsplit.kit.TopicName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The mirror module's configuration. Each key is defined once with its doc and default;
 * {@link #parse(Map)} validates at start-up and names the bad key. In the lab the values come
 * from {@code mirror.*} system properties of the lab's JVM ({@link #fromSystemProperties()}).
 *
 * <p>The mirror keeps its {@code mirror.*} keys rather than the services' common ones ({@code CommonKeys}): it runs
 * inside the lab's JVM, not as a service main, every link belongs to two sites (so no one {@code site} or
 * {@code bootstrap.servers}), it has no registry or HTTP API of its own (the lab owns the link health endpoints), and
 * {@code mirror.topics} lists the topics to replicate rather than naming one; its default is
 * {@link TopicName#CHANGES}'s name.
 */
public record MirrorConfig(
        List<String> topics,
        int refreshTopicsSeconds,
        int heartbeatsSeconds,
        int offsetFlushMs,
        int requestTimeoutMs,
        int tasksMax,
        String heap,
        int shutdownGraceMs,
        int healthIntervalMs,
        int probeTimeoutMs,
        int degradedLagMs,
        int degradedRttMs) {

    public static final String TOPICS = "mirror.topics";
    public static final String TOPICS_DOC = "Comma-separated topics replicated from every site to every other (as <source>.<topic>).";
    public static final String TOPICS_DEFAULT = TopicName.CHANGES.defaultName();

    public static final String REFRESH_TOPICS_SECONDS = "mirror.refresh.topics.interval.seconds";
    public static final String REFRESH_TOPICS_SECONDS_DOC = "How often MM2 looks for new topics and partitions at the source.";
    public static final String REFRESH_TOPICS_SECONDS_DEFAULT = "5";

    public static final String HEARTBEATS_SECONDS = "mirror.heartbeats.interval.seconds";
    public static final String HEARTBEATS_SECONDS_DOC = "How often MM2 emits heartbeats (replicated as <source>.heartbeats).";
    public static final String HEARTBEATS_SECONDS_DEFAULT = "1";

    public static final String OFFSET_FLUSH_MS = "mirror.offset.flush.interval.ms";
    public static final String OFFSET_FLUSH_MS_DOC = "How often MM2 commits its source positions; bounds re-sent records after a restart and the staleness of the lag in records.";
    public static final String OFFSET_FLUSH_MS_DEFAULT = "1000";

    public static final String REQUEST_TIMEOUT_MS = "mirror.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "request.timeout.ms of MM2's clients on the link; after a blackhole heals, a client notices a dead connection within this.";
    public static final String REQUEST_TIMEOUT_MS_DEFAULT = "10000";

    public static final String TASKS_MAX = "mirror.tasks.max";
    public static final String TASKS_MAX_DOC = "MM2 source tasks per link.";
    public static final String TASKS_MAX_DEFAULT = "1";

    public static final String HEAP = "mirror.heap";
    public static final String HEAP_DOC = "Maximum heap of each MM2 JVM (-Xmx).";
    public static final String HEAP_DEFAULT = "256m";

    public static final String SHUTDOWN_GRACE_MS = "mirror.shutdown.grace.ms";
    public static final String SHUTDOWN_GRACE_MS_DOC = "How long an MM2 process may take to stop on SIGTERM before it halts (MM2 hangs when its brokers are gone).";
    public static final String SHUTDOWN_GRACE_MS_DEFAULT = "5000";

    public static final String HEALTH_INTERVAL_MS = "mirror.health.interval.ms";
    public static final String HEALTH_INTERVAL_MS_DOC = "How often link health is measured.";
    public static final String HEALTH_INTERVAL_MS_DEFAULT = "1000";

    public static final String PROBE_TIMEOUT_MS = "mirror.health.probe.timeout.ms";
    public static final String PROBE_TIMEOUT_MS_DOC = "A link probe (a Kafka ApiVersions round trip through the link) failing within this marks the link cut.";
    public static final String PROBE_TIMEOUT_MS_DEFAULT = "2000";

    public static final String DEGRADED_LAG_MS = "mirror.health.degraded.lag.ms";
    public static final String DEGRADED_LAG_MS_DOC = "A link that carries traffic but whose oldest unreplicated record is older than this is degraded.";
    public static final String DEGRADED_LAG_MS_DEFAULT = "5000";

    public static final String DEGRADED_RTT_MS = "mirror.health.degraded.rtt.ms";
    public static final String DEGRADED_RTT_MS_DOC = "A link whose best probe round trip of the last three exceeds this is degraded.";
    public static final String DEGRADED_RTT_MS_DEFAULT = "50";

    public MirrorConfig {
        topics = List.copyOf(topics);
    }

    /** Every key with its doc and default. */
    public static Map<String, String[]> keys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put(TOPICS, new String[] {TOPICS_DOC, TOPICS_DEFAULT});
        k.put(REFRESH_TOPICS_SECONDS, new String[] {REFRESH_TOPICS_SECONDS_DOC, REFRESH_TOPICS_SECONDS_DEFAULT});
        k.put(HEARTBEATS_SECONDS, new String[] {HEARTBEATS_SECONDS_DOC, HEARTBEATS_SECONDS_DEFAULT});
        k.put(OFFSET_FLUSH_MS, new String[] {OFFSET_FLUSH_MS_DOC, OFFSET_FLUSH_MS_DEFAULT});
        k.put(REQUEST_TIMEOUT_MS, new String[] {REQUEST_TIMEOUT_MS_DOC, REQUEST_TIMEOUT_MS_DEFAULT});
        k.put(TASKS_MAX, new String[] {TASKS_MAX_DOC, TASKS_MAX_DEFAULT});
        k.put(HEAP, new String[] {HEAP_DOC, HEAP_DEFAULT});
        k.put(SHUTDOWN_GRACE_MS, new String[] {SHUTDOWN_GRACE_MS_DOC, SHUTDOWN_GRACE_MS_DEFAULT});
        k.put(HEALTH_INTERVAL_MS, new String[] {HEALTH_INTERVAL_MS_DOC, HEALTH_INTERVAL_MS_DEFAULT});
        k.put(PROBE_TIMEOUT_MS, new String[] {PROBE_TIMEOUT_MS_DOC, PROBE_TIMEOUT_MS_DEFAULT});
        k.put(DEGRADED_LAG_MS, new String[] {DEGRADED_LAG_MS_DOC, DEGRADED_LAG_MS_DEFAULT});
        k.put(DEGRADED_RTT_MS, new String[] {DEGRADED_RTT_MS_DOC, DEGRADED_RTT_MS_DEFAULT});
        return k;
    }

    public static MirrorConfig defaults() {
        return parse(Map.of());
    }

    /** The {@code mirror.*} system properties, validated. */
    public static MirrorConfig fromSystemProperties() {
        return fromSettings(Map.of());
    }

    /**
     * The {@code mirror.*} system properties overridden by the {@code mirror.*} entries of
     * {@code settings} (the lab's pass-through settings: {@code lab up --set mirror.x=y}), validated.
     */
    public static MirrorConfig fromSettings(Map<String, String> settings) {
        Map<String, String> props = new LinkedHashMap<>();
        Properties sys = System.getProperties();
        for (String name : sys.stringPropertyNames()) {
            if (name.startsWith("mirror.")) {
                props.put(name, sys.getProperty(name));
            }
        }
        settings.forEach((k, v) -> {
            if (k.startsWith("mirror.")) {
                props.put(k, v);
            }
        });
        return parse(props);
    }

    /** Validates; unknown {@code mirror.*} keys are rejected by name. */
    public static MirrorConfig parse(Map<String, String> props) {
        for (String key : props.keySet()) {
            if (key.startsWith("mirror.") && !keys().containsKey(key)) {
                throw new IllegalArgumentException("unknown mirror setting '" + key + "'; known: " + keys().keySet());
            }
        }
        List<String> topics = java.util.Arrays.stream(props.getOrDefault(TOPICS, TOPICS_DEFAULT).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (topics.isEmpty()) {
            throw new IllegalArgumentException(TOPICS + ": at least one topic is needed");
        }
        for (String t : topics) {
            if (!t.matches("[a-zA-Z0-9._-]+")) {
                throw new IllegalArgumentException(TOPICS + ": '" + t + "' is not a Kafka topic name");
            }
        }
        String heap = props.getOrDefault(HEAP, HEAP_DEFAULT).trim();
        if (!heap.matches("[0-9]+[kmgKMG]?")) {
            throw new IllegalArgumentException(HEAP + ": '" + heap + "' is not a JVM heap size like 256m");
        }
        return new MirrorConfig(topics,
                positive(props, REFRESH_TOPICS_SECONDS, REFRESH_TOPICS_SECONDS_DEFAULT),
                positive(props, HEARTBEATS_SECONDS, HEARTBEATS_SECONDS_DEFAULT),
                positive(props, OFFSET_FLUSH_MS, OFFSET_FLUSH_MS_DEFAULT),
                positive(props, REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS_DEFAULT),
                positive(props, TASKS_MAX, TASKS_MAX_DEFAULT),
                heap,
                positive(props, SHUTDOWN_GRACE_MS, SHUTDOWN_GRACE_MS_DEFAULT),
                positive(props, HEALTH_INTERVAL_MS, HEALTH_INTERVAL_MS_DEFAULT),
                positive(props, PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS_DEFAULT),
                positive(props, DEGRADED_LAG_MS, DEGRADED_LAG_MS_DEFAULT),
                positive(props, DEGRADED_RTT_MS, DEGRADED_RTT_MS_DEFAULT));
    }

    private static int positive(Map<String, String> props, String key, String dflt) {
        String v = props.getOrDefault(key, dflt).trim();
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a positive whole number");
        }
    }
}
