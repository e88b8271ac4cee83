package io.netsplit.schemas;

/**
 * The sizes every part of the pipeline agrees on. The writer's limits may be lower than these and
 * the reconciler's may not be lower (both configurations check it at start-up), so a write the
 * writer acknowledged is never refused downstream for its size.
 */
public final class Limits {

    /** Longest entity key, in UTF-8 bytes. */
    public static final int KEY_BYTES = 1024;

    /**
     * Largest encoded change event (wire format: magic byte, schema id, Avro body). A key's merge state
     * holds at most one frontier event per site, so with a few sites it stays well under Kafka's
     * default 1 MiB record limit for the state store's changelog and the {@code converged} record.
     */
    public static final int EVENT_BYTES = 256 * 1024;

    /** Most sites a version vector may name. */
    public static final int VECTOR_SITES = 64;

    private Limits() {
    }
}
