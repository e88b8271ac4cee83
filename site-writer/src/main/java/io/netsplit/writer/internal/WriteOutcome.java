package io.netsplit.writer.internal;

/** How a write request ended: committed (or replayed), or refused with an HTTP status and a one-line reason. */
public sealed interface WriteOutcome {

    /** The write is in Kafka; {@code replayed} when an Idempotency-Key retry returned an earlier write. */
    record Committed(WriteReceipt receipt, boolean replayed) implements WriteOutcome {
    }

    /**
     * The write was not made (or, for 503 with {@code outcomeUnknown}, may have been: retry it with the same
     * Idempotency-Key to find out).
     */
    record Refused(int status, String error, String message, boolean retryable) implements WriteOutcome {
    }

    static Refused unavailable(String message) {
        return new Refused(503, "unavailable", message, true);
    }
}
