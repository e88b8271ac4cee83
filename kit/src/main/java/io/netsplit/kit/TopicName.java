package io.netsplit.kit;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every topic of the pipeline, in one place: the configuration key that names it in every service, its default
 * name and how the broker keeps it. A service reads a topic's name from its configuration ({@code topic.changes});
 * everything else (the lab, the drills, the tools) uses {@link #defaultName()}. The records' serdes are in
 * {@code io.netsplit.schemas.Topics}, built on these names.
 */
public enum TopicName {

    /** ChangeEvents a site's writer appends (key = entity key); mirrored to every other site as {@code <alias>.changes}. */
    CHANGES("topic.changes", "changes", Cleanup.DELETE,
            "Topic of ChangeEvents (key = entity key): the site-writer appends to it and recovers from it at start; the "
                    + "reconciler reads it and every mirrored <alias>.<this name>."),
    /** ConvergedRecords, the site's view of every key; compacted. */
    CONVERGED("topic.converged", "converged", Cleanup.COMPACT,
            "Compacted topic of ConvergedRecords (key = entity key), the site's view of every key: the reconciler "
                    + "writes it (created with cleanup.policy=compact if missing), the writer and the checker read it."),
    /** AuditEvents, one per merge decision. */
    AUDIT("topic.audit", "audit", Cleanup.DELETE,
            "Topic of AuditEvents, one per merge decision: the reconciler writes it, the audit sink stores it."),
    /** Input records that cannot be read or break an invariant. */
    DLQ("topic.dlq", "changes.dlq", Cleanup.DELETE,
            "Dead-letter topic of the reconciler: input records that cannot be read or break an invariant."),
    /** Dead letters put back by {@code netsplit dlq redrive}: a local input of the reconciler, never mirrored. */
    REDRIVE("topic.redrive", "changes.redrive", Cleanup.KEEP_FOREVER,
            "Redrive topic of the reconciler: dead letters an operator put back (netsplit dlq redrive), each naming the "
                    + "dead-letter offset it came from. The site's own reconciler reads it beside its changes; it is local "
                    + "to the site and must not be mirrored (MirrorMaker 2 copies only the mirror.topics named)."),
    /** The reconciler's ordered log: every input record in the order the site consumed it; kept forever. */
    LOG("topic.log", "reconcile.log", Cleanup.KEEP_FOREVER,
            "The reconciler's ordered log: every input record, in the order this site consumed it (1 partition, kept "
                    + "forever). The merge and replays read it."),
    /** The health checkers' status changes and heartbeats (key = checker name, value = JSON). */
    HEALTH_STATUS("topic.health.status", "health.status", Cleanup.DELETE,
            "Topic of the health checkers' status changes and heartbeats (key = checker name, value = JSON): the checker "
                    + "writes it on every site, a site-writer reads its own site's to refuse writes while diverged.");

    /** How the broker keeps a topic's records. */
    public enum Cleanup {
        /** Deleted by the broker's retention. */
        DELETE,
        /** The newest record of each key kept ({@code cleanup.policy=compact}). */
        COMPACT,
        /** Never deleted ({@code retention.ms=-1}). */
        KEEP_FOREVER
    }

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String key;
    private final String defaultName;
    private final Cleanup cleanup;
    private final String doc;

    TopicName(String key, String defaultName, Cleanup cleanup, String doc) {
        this.key = key;
        this.defaultName = defaultName;
        this.cleanup = cleanup;
        this.doc = doc;
    }

    /** The configuration key that names this topic in every service, e.g. {@code topic.changes}. */
    public String key() {
        return key;
    }

    /** The name a service uses unless configured otherwise, e.g. {@code changes}. */
    public String defaultName() {
        return defaultName;
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    /** The one doc of {@link #key()}. */
    public String doc() {
        return doc;
    }

    /** Whether {@code name} is a legal Kafka topic name. */
    public static boolean isLegal(String name) {
        return name != null && LEGAL.matcher(name).matches();
    }

    /** A {@link ConfigDef} validator: a legal Kafka topic name, or (when {@code emptyDisables}) empty. */
    static ConfigDef.Validator validator(boolean emptyDisables) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String v = value == null ? "" : value.toString();
                if (!(emptyDisables && v.isEmpty()) && !isLegal(v)) {
                    throw new ConfigException(name, value, "not a legal Kafka topic name");
                }
            }

            @Override
            public String toString() {
                return "a Kafka topic name" + (emptyDisables ? ", or empty" : "");
            }
        };
    }
}
