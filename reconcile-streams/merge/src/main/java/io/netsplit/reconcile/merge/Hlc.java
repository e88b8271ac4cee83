package io.netsplit.reconcile.merge;

import java.util.Comparator;

/**
 * A hybrid logical clock reading: physical milliseconds plus a logical counter that orders events
 * within one millisecond and keeps the clock monotone when a remote reading is ahead of the local
 * wall clock (Kulkarni et al., "Logical Physical Clocks"). Readings compare by physical, then
 * logical. {@code lww} decides by this, never by raw wall time.
 *
 * @param physicalMillis the physical component, milliseconds since the epoch
 * @param logical        the logical component, at least 0
 */
public record Hlc(long physicalMillis, int logical) implements Comparable<Hlc> {

    private static final Comparator<Hlc> ORDER =
            Comparator.comparingLong(Hlc::physicalMillis).thenComparingInt(Hlc::logical);
    private static final Hlc ZERO = new Hlc(0, 0);

    public Hlc {
        if (physicalMillis < 0) {
            throw new IllegalArgumentException("hlc physical millis must be >= 0, was " + physicalMillis);
        }
        if (logical < 0) {
            throw new IllegalArgumentException("hlc logical counter must be >= 0, was " + logical);
        }
    }

    public static Hlc zero() {
        return ZERO;
    }

    /** The reading for a local event or a send, given the local wall clock. Always greater than this. */
    public Hlc tick(long nowMillis) {
        if (nowMillis > physicalMillis) {
            return new Hlc(nowMillis, 0);
        }
        return new Hlc(physicalMillis, Math.addExact(logical, 1));
    }

    /**
     * The reading after receiving {@code remote}, given the local wall clock. Greater than both this
     * and {@code remote}. A site-writer calls this for the highest HLC in its converged view before
     * minting.
     */
    public Hlc receive(Hlc remote, long nowMillis) {
        long physical = Math.max(Math.max(physicalMillis, remote.physicalMillis), nowMillis);
        int next;
        if (physical == physicalMillis && physical == remote.physicalMillis) {
            next = Math.max(logical, remote.logical) + 1;
        } else if (physical == physicalMillis) {
            next = logical + 1;
        } else if (physical == remote.physicalMillis) {
            next = remote.logical + 1;
        } else {
            next = 0;
        }
        return new Hlc(physical, next);
    }

    public Hlc max(Hlc other) {
        return compareTo(other) >= 0 ? this : other;
    }

    @Override
    public int compareTo(Hlc other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return physicalMillis + "." + logical;
    }
}
