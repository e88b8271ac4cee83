package io.netsplit.reconcile;

/**
 * The headers of a dead letter put back for the reconciler to read again ({@code netsplit dlq redrive}). A redriven
 * record goes to the site's redrive topic ({@code topic.redrive}, default {@code changes.redrive}): local to the site,
 * never mirrored, read by the site's own reconciler beside {@code changes} and every {@code <alias>.changes}. Its key and
 * value are the dead letter's, byte for byte; these headers say where it came from. The reconciler copies a record's
 * headers into its dead letter, so a redriven record that is dead-lettered again still names the offset it was
 * redriven from.
 */
public final class Redrive {

    /** The dead-letter topic the record was redriven from. */
    public static final String DLQ_TOPIC = "netsplit.redrive.dlq.topic";
    /** The offset in that topic (its one partition). */
    public static final String DLQ_OFFSET = "netsplit.redrive.dlq.offset";
    /** The input topic the record was first read from (the dead letter's source). */
    public static final String SOURCE_TOPIC = "netsplit.redrive.source.topic";
    /** The input partition it was first read from. */
    public static final String SOURCE_PARTITION = "netsplit.redrive.source.partition";
    /** The input offset it was first read from. */
    public static final String SOURCE_OFFSET = "netsplit.redrive.source.offset";
    /** Why it had been dead-lettered. */
    public static final String REASON = "netsplit.redrive.reason";

    private Redrive() {
    }
}
