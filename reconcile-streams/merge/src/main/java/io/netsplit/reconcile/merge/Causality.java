package io.netsplit.reconcile.merge;

/** How one version vector relates to another (see {@link VersionVector#compare(VersionVector)}). */
public enum Causality {
    /** This happened before the other: every counter is less than or equal, at least one is less. */
    BEFORE,
    /** This happened after the other: it has seen everything the other has, and more. */
    AFTER,
    /** Same counters for every site. */
    EQUAL,
    /** Each has seen something the other has not. */
    CONCURRENT
}
