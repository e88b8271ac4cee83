package io.netsplit.reconcile.merge;

/** The conflict state of a converged key. */
public enum ConflictState {
    /** The frontier is one event. */
    NONE,
    /** The frontier holds concurrent events and an automatic policy decided. */
    RESOLVED,
    /** The frontier holds concurrent events under {@code manual}: the winner is provisional. */
    PENDING
}
