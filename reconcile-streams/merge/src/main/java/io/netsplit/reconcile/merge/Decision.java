package io.netsplit.reconcile.merge;

import java.util.List;
import java.util.Objects;

/**
 * One reconciliation decision, the content of an audit event (minus the deciding site and its
 * sequence number, which the adapter adds).
 *
 * @param id              deterministic id, see {@link Digests#decisionId}: the same conflict gets the same id on every site
 * @param key             entity key
 * @param kind            what was decided
 * @param policy          policy id
 * @param candidates      every event involved, sorted by dot
 * @param winner          the winning (or provisional, or dominating) event's dot
 * @param resultingVector the key's joined vector after the decision
 * @param pending         true iff the conflict awaits an operator (manual policy)
 * @param contestedFields field-merge only: fields changed concurrently with different values, decided by highest version
 * @param reason          one human-readable line; data, never a log format
 */
public record Decision(
        String id,
        String key,
        DecisionKind kind,
        String policy,
        List<Candidate> candidates,
        Dot winner,
        VersionVector resultingVector,
        boolean pending,
        List<String> contestedFields,
        String reason) {

    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policy, "policy");
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(winner, "winner");
        Objects.requireNonNull(resultingVector, "resultingVector");
        contestedFields = List.copyOf(contestedFields);
        Objects.requireNonNull(reason, "reason");
    }

    /** The candidates that did not win: the events this decision names as losers. */
    public List<Dot> losers() {
        return candidates.stream().map(Candidate::dot).filter(d -> !d.equals(winner)).toList();
    }
}
