package io.netsplit.reconcile.internal;

import io.netsplit.reconcile.merge.Candidate;
import io.netsplit.reconcile.merge.Change;
import io.netsplit.reconcile.merge.ConvergedView;
import io.netsplit.reconcile.merge.Decision;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.FieldValue;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.MergeState;
import io.netsplit.reconcile.merge.Op;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.DecisionConflictState;
import io.netsplit.schemas.DecisionKind;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts between the Avro records on the topics and the merge core's types, checking the
 * invariants a record must hold before the merge may see it. Pure; no Kafka.
 */
public final class AvroMapping {

    private AvroMapping() {
    }

    /** A record that breaks an invariant; the message is the dead-letter reason. */
    public static final class InvalidChange extends Exception {
        public InvalidChange(String message) {
            super(message);
        }
    }

    /**
     * The merge's view of a ChangeEvent, after checking: record key equals event key, key not empty and
     * at most {@code maxKeyBytes}, dot present with a site and a counter >= 1, origin site equals the
     * dot's site, the vector holds exactly the dot's counter for the dot's site, version >= 1, no
     * negative vector counter, a DELETE carries no fields.
     */
    public static Change toChange(String recordKey, ChangeEvent e, int maxKeyBytes) throws InvalidChange {
        String key = e.getKey();
        if (key == null || key.isEmpty()) {
            throw new InvalidChange("empty entity key");
        }
        if (recordKey == null) {
            throw new InvalidChange("record has no key; expected the entity key '" + clip(key) + "'");
        }
        if (!recordKey.equals(key)) {
            throw new InvalidChange("key mismatch: record key '" + clip(recordKey) + "' but event key '" + clip(key) + "'");
        }
        int keyBytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (keyBytes > maxKeyBytes) {
            throw new InvalidChange("entity key of " + keyBytes + " bytes exceeds the limit of " + maxKeyBytes);
        }
        io.netsplit.schemas.Dot d = e.getDot();
        if (d == null || d.getSite() == null || d.getSite().isEmpty()) {
            throw new InvalidChange("missing dot (origin site and counter)");
        }
        if (d.getCounter() < 1) {
            throw new InvalidChange("dot counter must be >= 1, was " + d.getCounter());
        }
        if (!d.getSite().equals(e.getOriginSite())) {
            throw new InvalidChange("origin site '" + clip(e.getOriginSite()) + "' differs from the dot's site '" + clip(d.getSite()) + "'");
        }
        Map<String, Long> vv = e.getVersionVector();
        if (vv == null) {
            throw new InvalidChange("missing version vector");
        }
        for (Map.Entry<String, Long> en : vv.entrySet()) {
            if (en.getValue() == null || en.getValue() < 0) {
                throw new InvalidChange("version vector entry " + clip(en.getKey()) + " is negative or null");
            }
        }
        Long own = vv.get(d.getSite());
        if (own == null || own != d.getCounter()) {
            throw new InvalidChange("version vector " + vv + " does not contain its own dot " + d.getSite() + ":" + d.getCounter());
        }
        if (e.getVersion() < 1) {
            throw new InvalidChange("version must be >= 1, was " + e.getVersion());
        }
        if (e.getHlc() == null || e.getHlc().getPhysicalMillis() < 0 || e.getHlc().getLogical() < 0) {
            throw new InvalidChange("missing or negative hybrid logical clock");
        }
        Op op = switch (e.getOp()) {
            case UPSERT -> Op.UPSERT;
            case PATCH -> Op.PATCH;
            case DELETE -> Op.DELETE;
        };
        TreeMap<String, FieldValue> fields = new TreeMap<>();
        if (e.getFields() != null) {
            for (Map.Entry<String, Object> f : e.getFields().entrySet()) {
                fields.put(f.getKey(), fieldValue(f.getValue()));
            }
        }
        if (op == Op.DELETE && !fields.isEmpty()) {
            throw new InvalidChange("a DELETE carries fields " + fields.keySet());
        }
        TreeSet<String> changed = new TreeSet<>();
        if (e.getChangedFields() != null) {
            changed.addAll(e.getChangedFields());
        }
        try {
            return new Change(key, new Dot(d.getSite(), d.getCounter()), VersionVector.of(vv), e.getVersion(),
                    new Hlc(e.getHlc().getPhysicalMillis(), e.getHlc().getLogical()), op, fields, changed,
                    e.getIdempotencyKey(), e.getWallClockMillis());
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new InvalidChange(String.valueOf(ex.getMessage()));
        }
    }

    /**
     * The ConvergedRecord of a view; {@code siblings} (the whole frontier) only while PENDING; {@code maxHlc} always,
     * so a site-writer can advance its clock past every reading the key has seen.
     */
    public static ConvergedRecord toConverged(ConvergedView v, MergeState state, String site, String lastDecisionId) {
        Change winner = null;
        for (Change c : state.frontier()) {
            if (c.dot().equals(v.winner())) {
                winner = c;
            }
        }
        List<Sibling> siblings = new ArrayList<>();
        if (v.conflict() == io.netsplit.reconcile.merge.ConflictState.PENDING) {
            for (Change c : state.frontier()) {
                siblings.add(new Sibling(dot(c.dot()), c.site(), c.version(), vector(c.vector()), hlc(c.hlc()), op(c.op()),
                        fields(c.fields())));
            }
        }
        return new ConvergedRecord(v.key(), fields(v.fields()), v.deleted(), vector(v.vector()), v.maxVersion(),
                new EventRef(dot(v.winner()), winner == null ? v.winnerVersion() : winner.version(), v.winner().site()),
                ConflictState.valueOf(v.conflict().name()), siblings, v.policy(),
                v.conflictId() != null ? v.conflictId() : lastDecisionId, site, hlc(v.maxHlc()));
    }

    /** The AuditEvent of a decision made at {@code site} with its sequence number. */
    public static AuditEvent toAudit(Decision d, String site, long sequence, long decidedAtMillis) {
        List<io.netsplit.schemas.Candidate> candidates = new ArrayList<>(d.candidates().size());
        for (Candidate c : d.candidates()) {
            candidates.add(new io.netsplit.schemas.Candidate(dot(c.dot()), c.site(), c.version(), vector(c.vector()), c.fieldsDigest()));
        }
        return new AuditEvent(d.id(), site, sequence, d.key(), DecisionKind.valueOf(d.kind().name()), d.policy(), candidates,
                dot(d.winner()), vector(d.resultingVector()), d.reason(), decidedAtMillis, conflictState(d));
    }

    /** Where a decision leaves its key's conflict: what the audit store counts as pending, without knowing policy names. */
    public static DecisionConflictState conflictState(Decision d) {
        return switch (d.kind()) {
            case CONCURRENT_UPDATE, DELETE_VS_UPDATE -> d.pending() ? DecisionConflictState.PENDING : DecisionConflictState.RESOLVED;
            case MANUAL_RESOLUTION -> DecisionConflictState.MANUALLY_RESOLVED;
            case STALE, DUPLICATE, REJECTED -> DecisionConflictState.NONE;
        };
    }

    /** An Avro field value (null, Boolean, Long, Double, CharSequence) as a merge FieldValue. */
    public static FieldValue fieldValue(Object o) throws InvalidChange {
        try {
            return FieldValue.ofJava(o);
        } catch (IllegalArgumentException e) {
            throw new InvalidChange(e.getMessage());
        }
    }

    /** A merge FieldValue as the Avro union value. */
    public static Object avroValue(FieldValue v) {
        return switch (v) {
            case FieldValue.Null n -> null;
            case FieldValue.Bool b -> b.value();
            case FieldValue.Int64 i -> i.value();
            case FieldValue.Float64 f -> f.value();
            case FieldValue.Text t -> t.value();
        };
    }

    public static Map<String, Object> fields(Map<String, FieldValue> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, avroValue(v)));
        return out;
    }

    public static Map<String, Long> vector(VersionVector v) {
        return new HashMap<>(v.asMap());
    }

    public static io.netsplit.schemas.Dot dot(Dot d) {
        return new io.netsplit.schemas.Dot(d.site(), d.counter());
    }

    static io.netsplit.schemas.Hlc hlc(Hlc h) {
        return new io.netsplit.schemas.Hlc(h.physicalMillis(), h.logical());
    }

    static Operation op(Op op) {
        return Operation.valueOf(op.name());
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 120 ? s : s.substring(0, 120) + "…(" + s.length() + " chars)";
    }
}
