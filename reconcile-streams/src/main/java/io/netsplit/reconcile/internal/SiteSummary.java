package io.netsplit.reconcile.internal;

import io.netsplit.reconcile.merge.TableDigest;
import io.netsplit.reconcile.merge.VersionVector;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a site's status reports that must survive a crash: the counters, the next audit
 * sequence, the incrementally kept table digest and the joined frontier. Kept in the merge
 * processor's summary store, so it commits in the same transaction as the state and the outputs it
 * describes (exactly_once_v2): after a kill -9 it is exactly as consistent as the converged table.
 *
 * @param compared          valid records given to the merge
 * @param applied           records that changed the converged value, vector or conflict state
 * @param conflicts         CONCURRENT_UPDATE and DELETE_VS_UPDATE decisions
 * @param merged            those an automatic policy resolved
 * @param pending           keys whose converged conflict state is PENDING now
 * @param duplicates        DUPLICATE decisions
 * @param stale             STALE decisions
 * @param rejected          REJECTED decisions (a dot minted twice): audited, ignored
 * @param deadLettered      records written to the dead-letter topic
 * @param retried           record reads retried after a transient failure (registry unreachable, or a schema id it does not know yet)
 * @param manualResolutions MANUAL_RESOLUTION decisions
 * @param sequence          the last audit sequence number used (0: none yet)
 * @param digest            order-free digest of the converged table
 * @param frontier          join of every key's vector
 */
public record SiteSummary(long compared, long applied, long conflicts, long merged, long pending, long duplicates,
                          long stale, long rejected, long deadLettered, long retried, long manualResolutions,
                          long sequence, TableDigest digest, VersionVector frontier) {

    private static final int FORMAT = 2;

    public static SiteSummary empty() {
        return new SiteSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, TableDigest.empty(), VersionVector.empty());
    }

    /** Adds another task's summary (counters and digests add, frontiers join, sequence: the maximum). */
    public SiteSummary plus(SiteSummary o) {
        TableDigest d = new TableDigest(digest.sum().add(o.digest.sum()).mod(BigInteger.ONE.shiftLeft(256)),
                digest.count() + o.digest.count());
        return new SiteSummary(compared + o.compared, applied + o.applied, conflicts + o.conflicts, merged + o.merged,
                pending + o.pending, duplicates + o.duplicates, stale + o.stale, rejected + o.rejected,
                deadLettered + o.deadLettered, retried + o.retried, manualResolutions + o.manualResolutions,
                Math.max(sequence, o.sequence), d, frontier.join(o.frontier));
    }

    /** A mutable copy for the processor's hot path. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            for (long v : new long[] {compared, applied, conflicts, merged, pending, duplicates, stale, rejected,
                    deadLettered, retried, manualResolutions, sequence, digest.count()}) {
                out.writeLong(v);
            }
            out.write(fixed32(digest.sum()));
            Map<String, Long> f = frontier.asMap();
            out.writeInt(f.size());
            for (Map.Entry<String, Long> e : f.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SiteSummary decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unsupported site summary format " + format);
            }
            long[] v = new long[13];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readLong();
            }
            byte[] sum = new byte[32];
            in.readFully(sum);
            int n = in.readInt();
            TreeMap<String, Long> f = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                f.put(in.readUTF(), in.readLong());
            }
            return new SiteSummary(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                    new TableDigest(new BigInteger(1, sum), v[12]), VersionVector.of(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 256-bit digest sum as exactly 32 big-endian bytes. */
    static byte[] fixed32(BigInteger sum) {
        byte[] raw = sum.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    /**
     * Mutable counters for one task; {@link #build()} makes the immutable summary. The digest is kept
     * as four 64-bit words (sum modulo 2^256, the same value {@link TableDigest} holds), because the
     * processor updates and stores it for every record and BigInteger arithmetic showed in profiles.
     */
    public static final class Builder {
        public long compared;
        public long applied;
        public long conflicts;
        public long merged;
        public long pending;
        public long duplicates;
        public long stale;
        public long rejected;
        public long deadLettered;
        public long retried;
        public long manualResolutions;
        public long sequence;
        public VersionVector frontier;
        private final long[] sum = new long[4];
        private long keys;

        Builder(SiteSummary s) {
            compared = s.compared;
            applied = s.applied;
            conflicts = s.conflicts;
            merged = s.merged;
            pending = s.pending;
            duplicates = s.duplicates;
            stale = s.stale;
            rejected = s.rejected;
            deadLettered = s.deadLettered;
            retried = s.retried;
            manualResolutions = s.manualResolutions;
            sequence = s.sequence;
            frontier = s.frontier;
            byte[] b = fixed32(s.digest.sum());
            for (int w = 0; w < 4; w++) {
                sum[w] = ByteBuffer.wrap(b, w * 8, 8).getLong();
            }
            keys = s.digest.count();
        }

        /** Adds one key's 32-byte entry digest (a key entered the table or got a new entry). */
        public void plus(byte[] entryDigest) {
            add(entryDigest, false);
            keys++;
        }

        /** Removes one key's previous 32-byte entry digest. */
        public void minus(byte[] entryDigest) {
            add(entryDigest, true);
            keys--;
        }

        private void add(byte[] d, boolean negate) {
            ByteBuffer in = ByteBuffer.wrap(d);
            long carry = 0;
            for (int w = 3; w >= 0; w--) {
                long x = in.getLong(w * 8);
                if (negate) {
                    // a - b = a + (~b + 1) modulo 2^256: the +1 enters as the initial carry
                    x = ~x;
                    if (w == 3) {
                        carry = 1;
                    }
                }
                long r = sum[w] + x;
                long c1 = Long.compareUnsigned(r, sum[w]) < 0 ? 1 : 0;
                long r2 = r + carry;
                long c2 = Long.compareUnsigned(r2, r) < 0 ? 1 : 0;
                sum[w] = r2;
                carry = c1 + c2;
            }
        }

        public TableDigest digest() {
            byte[] b = new byte[32];
            ByteBuffer out = ByteBuffer.wrap(b);
            for (long w : sum) {
                out.putLong(w);
            }
            return new TableDigest(new BigInteger(1, b), keys);
        }

        public SiteSummary build() {
            return new SiteSummary(compared, applied, conflicts, merged, pending, duplicates, stale, rejected,
                    deadLettered, retried, manualResolutions, sequence, digest(), frontier);
        }

        /** {@link SiteSummary#encode()} of {@link #build()}, without building it. */
        public byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(1 + 13 * 8 + 32 + 4 + frontier.size() * 48);
            out.put((byte) FORMAT);
            for (long v : new long[] {compared, applied, conflicts, merged, pending, duplicates, stale, rejected,
                    deadLettered, retried, manualResolutions, sequence, keys}) {
                out.putLong(v);
            }
            for (long w : sum) {
                out.putLong(w);
            }
            Map<String, Long> f = frontier.asMap();
            ByteArrayOutputStream tail = new ByteArrayOutputStream(f.size() * 24 + 4);
            try (DataOutputStream d = new DataOutputStream(tail)) {
                d.writeInt(f.size());
                for (Map.Entry<String, Long> e : f.entrySet()) {
                    d.writeUTF(e.getKey());
                    d.writeLong(e.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] head = java.util.Arrays.copyOf(out.array(), out.position());
            byte[] t = tail.toByteArray();
            byte[] all = java.util.Arrays.copyOf(head, head.length + t.length);
            System.arraycopy(t, 0, all, head.length, t.length);
            return all;
        }
    }
}
