package io.netsplit.reconcile.merge;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The converged value of one key, a pure function of its {@link MergeState} and the policy: what the
 * {@code converged} topic carries and what {@code GET /entities/{key}} shows.
 *
 * @param key           entity key
 * @param fields        the merged fields (empty when deleted)
 * @param deleted       true iff the winning write is a delete
 * @param vector        the key's joined version vector
 * @param winner        the winning event (for field-merge: the entity-level winner by highest version)
 * @param winnerVersion its Lamport version
 * @param maxVersion    the highest Lamport version in the frontier: a site-writer mints {@code maxVersion + 1}
 * @param maxHlc        the highest HLC in the frontier (winner and siblings) — with writers that mint past it, the
 *                      highest of every event received for the key (merge law 6) — for a site-writer's {@link Hlc#receive}
 * @param conflict      NONE, RESOLVED or PENDING
 * @param frontier      the dots of the causal frontier, sorted
 * @param siblings      PENDING only: the frontier dots other than the provisional winner
 * @param policy        the policy id that decided
 * @param conflictId    the decision id of the current conflict, or null under NONE
 */
public record ConvergedView(
        String key,
        SortedMap<String, FieldValue> fields,
        boolean deleted,
        VersionVector vector,
        Dot winner,
        long winnerVersion,
        long maxVersion,
        Hlc maxHlc,
        ConflictState conflict,
        List<Dot> frontier,
        List<Dot> siblings,
        String policy,
        String conflictId) {

    public ConvergedView {
        Objects.requireNonNull(key, "key");
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
        frontier = List.copyOf(frontier);
        siblings = List.copyOf(siblings);
    }

    /** {@link Digests#entry} of (key, fields, deleted, vector): this key's share of the {@link TableDigest}. */
    public byte[] entryDigest() {
        return Digests.entry(key, fields, deleted, vector);
    }
}
