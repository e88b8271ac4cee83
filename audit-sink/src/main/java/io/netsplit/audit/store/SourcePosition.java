package io.netsplit.audit.store;

import java.util.Objects;

/**
 * Where a stored audit record was read from: topic, partition and offset. Repair uses it to know
 * which part of the audit topic to read again for a missing range of sequence numbers.
 */
public record SourcePosition(String topic, int partition, long offset) {

    public SourcePosition {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "[" + partition + "]@" + offset;
    }
}
