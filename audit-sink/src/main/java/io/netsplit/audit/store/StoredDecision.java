package io.netsplit.audit.store;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One reconciliation decision as the audit store holds it: the content of an {@code AuditEvent}, where it
 * was read from, and whether the conflict is still pending. Its identity is (deciding site, sequence):
 * the deciding site numbers every audit record it writes, so that pair names exactly one record, while
 * a decision id (a hash of the policy and the conflicting dots) can legitimately recur.
 *
 * @param decidingSite    alias of the site whose reconciler decided
 * @param sequence        that site's audit sequence number
 * @param decisionId      deterministic decision id, the same at every site that saw the same conflict
 * @param key             entity key
 * @param kind            {@code DecisionKind} name, e.g. CONCURRENT_UPDATE
 * @param policy          merge policy name
 * @param candidates      every event considered, in the order the decision listed them
 * @param winner          the winning dot, or null (e.g. a pending manual conflict)
 * @param resultingVector the key's version vector after the decision, sorted by site
 * @param reason          human-readable reason; data, never a log format
 * @param decidedAtMillis wall-clock time of the decision at the deciding site
 * @param conflictState   where the decision leaves the key's conflict ({@code DecisionConflictState} name: NONE,
 *                        RESOLVED, PENDING, MANUALLY_RESOLVED), stored in its own column; not part of the JSON and
 *                        CSV exports (null in decisions read back from them)
 * @param source          the audit topic record it was read from
 * @param pending         true iff this is a conflict still awaiting an operator: computed by the store
 *                        (false on records about to be written)
 */
public record StoredDecision(
        String decidingSite,
        long sequence,
        String decisionId,
        String key,
        String kind,
        String policy,
        List<StoredCandidate> candidates,
        DotRef winner,
        Map<String, Long> resultingVector,
        String reason,
        long decidedAtMillis,
        @JsonIgnore String conflictState,
        SourcePosition source,
        boolean pending) {

    public StoredDecision {
        Objects.requireNonNull(decidingSite, "decidingSite");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policy, "policy");
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        resultingVector = resultingVector == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(resultingVector));
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
    }

    /** The same decision with the pending flag the store computed. */
    public StoredDecision withPending(boolean isPending) {
        return new StoredDecision(decidingSite, sequence, decisionId, key, kind, policy, candidates, winner,
                resultingVector, reason, decidedAtMillis, conflictState, source, isPending);
    }

    /**
     * Same content, ignoring where it was read from and the computed pending flag: replays are equal. The conflict
     * state is left out too: a record written before the field carries none, and its inferred state is no content.
     */
    public boolean sameContentAs(StoredDecision o) {
        return decidingSite.equals(o.decidingSite) && sequence == o.sequence && decisionId.equals(o.decisionId)
                && key.equals(o.key) && kind.equals(o.kind) && policy.equals(o.policy)
                && candidates.equals(o.candidates) && Objects.equals(winner, o.winner)
                && resultingVector.equals(o.resultingVector) && reason.equals(o.reason)
                && decidedAtMillis == o.decidedAtMillis;
    }
}
