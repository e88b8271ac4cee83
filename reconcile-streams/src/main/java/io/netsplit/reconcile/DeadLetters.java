package io.netsplit.reconcile;

/**
 * The headers of the reconciler's dead letters, and of dead letters put back for it to read again.
 *
 * <p>A dead letter ({@code topic.dlq}, default {@code changes.dlq}, one partition) keeps the original key and bytes,
 * every header the record had, and the {@code DLQ_*} headers below.
 *
 * <p>A redriven record ({@code netsplit dlq redrive}) goes to the site's redrive topic ({@code topic.redrive}, default
 * {@code changes.redrive}): local to the site, never mirrored, read by the site's own reconciler beside {@code changes}
 * and every {@code <alias>.changes}. Its key and value are the dead letter's, byte for byte; the {@code REDRIVE_*}
 * headers say where it came from. Since a dead letter keeps the record's headers, a redriven record that is
 * dead-lettered again still names the offset it was redriven from.
 */
public final class DeadLetters {

    /** Dead-letter header: why the record was rejected (one line). */
    public static final String DLQ_REASON = "netsplit.dlq.reason";
    /** Dead-letter header: the input topic the record came from. */
    public static final String DLQ_SOURCE_TOPIC = "netsplit.dlq.source.topic";
    /** Dead-letter header: the input partition. */
    public static final String DLQ_SOURCE_PARTITION = "netsplit.dlq.source.partition";
    /** Dead-letter header: the input offset. */
    public static final String DLQ_SOURCE_OFFSET = "netsplit.dlq.source.offset";
    /** Dead-letter header: the site whose reconciler rejected it. */
    public static final String DLQ_SITE = "netsplit.dlq.site";

    /** Redrive header: the dead-letter topic the record was redriven from. */
    public static final String REDRIVE_DLQ_TOPIC = "netsplit.redrive.dlq.topic";
    /** Redrive header: the offset in that topic (its one partition). */
    public static final String REDRIVE_DLQ_OFFSET = "netsplit.redrive.dlq.offset";
    /** Redrive header: the input topic the record was first read from (the dead letter's source). */
    public static final String REDRIVE_SOURCE_TOPIC = "netsplit.redrive.source.topic";
    /** Redrive header: the input partition it was first read from. */
    public static final String REDRIVE_SOURCE_PARTITION = "netsplit.redrive.source.partition";
    /** Redrive header: the input offset it was first read from. */
    public static final String REDRIVE_SOURCE_OFFSET = "netsplit.redrive.source.offset";
    /** Redrive header: why it had been dead-lettered. */
    public static final String REDRIVE_REASON = "netsplit.redrive.reason";

    private DeadLetters() {
    }
}
