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
 * @param retried           record reads retried after a transient failure (registry unreachable)
 * @param manualResolutions MANUAL_RESOLUTION decisions
 * @param sequence          the last audit sequence number used (0: none yet)
 * @param digest            order-free digest of the converged table
 * @param frontier          join of every key's vector
 */
public record SiteSummary(long compared, long applied, long conflicts, long merged, long pending, long duplicates,
                          long stale, long rejected, long deadLettered, long retried, long manualResolutions,
                          long sequence, TableDigest digest, VersionVector frontier) {

    private static final int FORMAT = 1;

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
            byte[] sum = digest.sum().toByteArray();
            out.writeInt(sum.length);
            out.write(sum);
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
            byte[] sum = new byte[in.readInt()];
            in.readFully(sum);
            int n = in.readInt();
            TreeMap<String, Long> f = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                f.put(in.readUTF(), in.readLong());
            }
            return new SiteSummary(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                    new TableDigest(new BigInteger(sum), v[12]), VersionVector.of(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mutable counters for one task; {@link #build()} makes the immutable summary. */
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
        public TableDigest digest;
        public VersionVector frontier;

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
            digest = s.digest;
            frontier = s.frontier;
        }

        public SiteSummary build() {
            return new SiteSummary(compared, applied, conflicts, merged, pending, duplicates, stale, rejected,
                    deadLettered, retried, manualResolutions, sequence, digest, frontier);
        }
    }
}
