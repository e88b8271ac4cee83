package io.netsplit.audit.store;

/**
 * An inclusive range of audit sequence numbers of one deciding site, e.g. missing records 5..9.
 *
 * @param from first sequence number in the range
 * @param to   last sequence number in the range (inclusive)
 */
public record SequenceRange(long from, long to) {

    public SequenceRange {
        if (to < from) {
            throw new IllegalArgumentException("empty range " + from + ".." + to);
        }
    }

    public long size() {
        return to - from + 1;
    }

    public boolean contains(long sequence) {
        return sequence >= from && sequence <= to;
    }

    @Override
    public String toString() {
        return from == to ? Long.toString(from) : from + ".." + to;
    }
}
