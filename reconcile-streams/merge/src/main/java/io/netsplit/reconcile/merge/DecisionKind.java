package io.netsplit.reconcile.merge;

/** What a {@link Decision} records. */
public enum DecisionKind {
    /** Concurrent writes to the key (the frontier grew beyond one event); resolved or pending. */
    CONCURRENT_UPDATE,
    /** Like CONCURRENT_UPDATE, but at least one concurrent write is a delete and one is not. */
    DELETE_VS_UPDATE,
    /** An event a received event dominates: already reflected, changes no converged value. */
    STALE,
    /** An event whose dot is already in the frontier: a redelivery, changes nothing. */
    DUPLICATE,
    /** A write that dominates every sibling of a pending (manual) conflict ended it. */
    MANUAL_RESOLUTION,
    /**
     * An event that breaks the dot contract (its dot is already covered by the key's vector, yet no
     * received event dominates or equals it: a site minted the same dot twice). Ignored.
     */
    REJECTED;

    /** True for the kinds that count as conflicts in the status counters. */
    public boolean isConflict() {
        return this == CONCURRENT_UPDATE || this == DELETE_VS_UPDATE;
    }
}
