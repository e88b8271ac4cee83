package io.netsplit.reconcile.merge;

import java.math.BigInteger;
import java.util.Collection;

/**
 * An order-free digest of a whole converged table: the sum, modulo 2^256, of {@link
 * Digests#entry} of every key (each 32-byte digest read as an unsigned big-endian integer), plus the
 * number of keys. Sum rather than XOR so that it can be updated in place — {@link #minus} the old
 * entry, {@link #plus} the new — as a Streams processor overwrites a key. Two sites hold the same
 * table iff (with overwhelming probability) their {@link #hex()} and {@link #count()} are equal.
 *
 * <p>The empty table's digest is 64 zeros. {@link #toString()} is {@code <count>:<hex>}.
 */
public record TableDigest(BigInteger sum, long count) {

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
    private static final TableDigest EMPTY = new TableDigest(BigInteger.ZERO, 0);

    public TableDigest {
        if (sum.signum() < 0 || sum.compareTo(MODULUS) >= 0) {
            throw new IllegalArgumentException("table digest sum out of range");
        }
    }

    public static TableDigest empty() {
        return EMPTY;
    }

    /** The digest of a set of converged views (one per key). */
    public static TableDigest of(Collection<ConvergedView> views) {
        TableDigest d = EMPTY;
        for (ConvergedView v : views) {
            d = d.plus(v.entryDigest());
        }
        return d;
    }

    public TableDigest plus(byte[] entryDigest) {
        return new TableDigest(sum.add(new BigInteger(1, entryDigest)).mod(MODULUS), count + 1);
    }

    public TableDigest minus(byte[] entryDigest) {
        return new TableDigest(sum.subtract(new BigInteger(1, entryDigest)).mod(MODULUS), count - 1);
    }

    /** 64 lower-case hex characters. */
    public String hex() {
        String h = sum.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }

    @Override
    public String toString() {
        return count + ":" + hex();
    }
}
