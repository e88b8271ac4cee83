package io.netsplit.audit;

import io.netsplit.audit.store.DotRef;
import io.netsplit.audit.store.SourcePosition;
import io.netsplit.audit.store.StoredCandidate;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.Candidate;
import io.netsplit.schemas.DecisionConflictState;
import io.netsplit.schemas.Dot;

import java.util.List;
import java.util.Map;

/** Maps {@link AuditEvent}s read from an {@code audit} topic to the rows of the audit store. */
public final class AuditRecords {

    private AuditRecords() {
    }

    /** The store's view of one audit event read at {@code source}. */
    public static StoredDecision toStored(AuditEvent e, SourcePosition source) {
        List<StoredCandidate> candidates = e.getCandidates().stream().map(AuditRecords::candidate).toList();
        return new StoredDecision(e.getDecidingSite(), e.getSequence(), e.getDecisionId(), e.getKey(),
                e.getKind().name(), e.getPolicy(), candidates, dot(e.getWinner()), vector(e.getResultingVector()),
                e.getReason(), e.getDecidedAtMillis(), conflictState(e).name(), source, false);
    }

    /**
     * Where the decision leaves its key's conflict, as the reconciler wrote it; for a record written before the field
     * existed, the rule the store applied before it: a conflict decision with no winner, or one decided by the manual
     * policy, awaits an operator.
     */
    static DecisionConflictState conflictState(AuditEvent e) {
        if (e.getConflictState() != null) {
            return e.getConflictState();
        }
        return switch (e.getKind()) {
            case CONCURRENT_UPDATE, DELETE_VS_UPDATE -> e.getWinner() == null || "manual".equals(e.getPolicy())
                    ? DecisionConflictState.PENDING : DecisionConflictState.RESOLVED;
            case MANUAL_RESOLUTION -> DecisionConflictState.MANUALLY_RESOLVED;
            case STALE, DUPLICATE, REJECTED -> DecisionConflictState.NONE;
        };
    }

    private static StoredCandidate candidate(Candidate c) {
        return new StoredCandidate(dot(c.getDot()), c.getSite(), c.getVersion(), vector(c.getVersionVector()),
                c.getFieldsDigest());
    }

    private static DotRef dot(Dot d) {
        return d == null ? null : new DotRef(d.getSite(), d.getCounter());
    }

    private static Map<String, Long> vector(Map<String, Long> v) {
        return v == null ? Map.of() : v;
    }
}
