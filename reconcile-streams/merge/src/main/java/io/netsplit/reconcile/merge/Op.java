package io.netsplit.reconcile.merge;

/** The operation of a change event. */
public enum Op {
    /** Replace the entity with the given fields (PUT). */
    UPSERT,
    /** Set some fields, keep the others (PATCH). */
    PATCH,
    /** Mark the entity deleted; the vector is kept, the fields are treated as empty. */
    DELETE
}
