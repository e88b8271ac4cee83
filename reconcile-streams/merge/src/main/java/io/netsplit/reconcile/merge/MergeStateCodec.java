package io.netsplit.reconcile.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic, versioned binary encoding of {@link MergeState}, for the Streams adapter's
 * key-value store. Equal states encode to equal bytes (everything is written in sorted order), so
 * two replicas that received the same events store byte-identical state.
 *
 * <p>Format version 1, in the {@link Canonical} primitives (big-endian, {@code str} = i32 length +
 * UTF-8):
 *
 * <pre>
 * state      = "NSMS" u8(1) str(key) vector i32(n) change*n i32(f) (str(field) i32(w) write*w)*f i32(d) write*d
 * change     = dot vector i64(version) hlc u8(op: 0 upsert, 1 patch, 2 delete) fields
 *              i32(c) str(changedField)*c u8(hasIdempotencyKey) [str(idempotencyKey)] i64(wallClockMillis)
 * write      = dot vector i64(version) u8(present) [value]
 * dot        = str(site) i64(counter);  hlc = i64(physicalMillis) i32(logical)
 * </pre>
 *
 * A reader rejects another magic, a version it does not know, truncated input and trailing bytes
 * with an {@link IllegalArgumentException} that says which.
 */
public final class MergeStateCodec {

    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'N', 'S', 'M', 'S'};

    private MergeStateCodec() {
    }

    public static byte[] encode(MergeState state) {
        Canonical.Out out = new Canonical.Out();
        for (byte b : MAGIC) {
            out.u8(b);
        }
        out.u8(VERSION).str(state.key()).vector(state.vector()).i32(state.frontier().size());
        for (Change c : state.frontier()) {
            out.dot(c.dot()).vector(c.vector()).i64(c.version()).hlc(c.hlc()).u8(c.op().ordinal()).fields(c.fields());
            out.i32(c.changedFields().size());
            c.changedFields().forEach(out::str);
            out.u8(c.idempotencyKey() == null ? 0 : 1);
            if (c.idempotencyKey() != null) {
                out.str(c.idempotencyKey());
            }
            out.i64(c.wallClockMillis());
        }
        out.i32(state.fieldFrontiers().size());
        for (Map.Entry<String, List<FieldWrite>> e : state.fieldFrontiers().entrySet()) {
            out.str(e.getKey());
            writes(out, e.getValue());
        }
        writes(out, state.deleteFrontier());
        return out.toByteArray();
    }

    public static MergeState decode(byte[] bytes) {
        Canonical.In in = new Canonical.In(bytes);
        for (byte b : MAGIC) {
            if (in.u8() != b) {
                throw new IllegalArgumentException("not a MergeState: bad magic (expected NSMS)");
            }
        }
        int version = in.u8();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported MergeState format version " + version + " (this build reads " + VERSION + ")");
        }
        String key = in.str();
        VersionVector vector = in.vector();
        int n = in.count("frontier size");
        List<Change> frontier = new ArrayList<>(n);
        Op[] ops = Op.values();
        for (int i = 0; i < n; i++) {
            Dot dot = in.dot();
            VersionVector v = in.vector();
            long ver = in.i64();
            Hlc hlc = in.hlc();
            int op = in.u8();
            if (op >= ops.length) {
                throw new IllegalArgumentException("unknown op " + op + " at byte " + (in.position() - 1));
            }
            SortedMap<String, FieldValue> fields = in.fields();
            int c = in.count("changed field count");
            TreeSet<String> changed = new TreeSet<>();
            for (int j = 0; j < c; j++) {
                changed.add(in.str());
            }
            String idem = in.u8() == 0 ? null : in.str();
            frontier.add(new Change(key, dot, v, ver, hlc, ops[op], fields, changed, idem, in.i64()));
        }
        int f = in.count("field frontier count");
        TreeMap<String, List<FieldWrite>> fieldFrontiers = new TreeMap<>();
        for (int i = 0; i < f; i++) {
            fieldFrontiers.put(in.str(), writes(in));
        }
        List<FieldWrite> deletes = writes(in);
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after MergeState at byte " + in.position());
        }
        return new MergeState(key, frontier, vector, fieldFrontiers, deletes);
    }

    private static void writes(Canonical.Out out, List<FieldWrite> writes) {
        out.i32(writes.size());
        for (FieldWrite w : writes) {
            out.dot(w.dot()).vector(w.vector()).i64(w.version()).u8(w.value() == null ? 0 : 1);
            if (w.value() != null) {
                out.value(w.value());
            }
        }
    }

    private static List<FieldWrite> writes(Canonical.In in) {
        int n = in.count("field write count");
        List<FieldWrite> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Dot dot = in.dot();
            VersionVector v = in.vector();
            long ver = in.i64();
            list.add(new FieldWrite(dot, v, ver, in.u8() == 0 ? null : in.value()));
        }
        return list;
    }
}
