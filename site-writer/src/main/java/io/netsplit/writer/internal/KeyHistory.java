package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything this writer minted for one key: the join of the minted vectors, the highest minted Lamport version,
 * and the writes the site's converged view has not incorporated yet (from the last full replacement on). Immutable.
 *
 * @param vector      join of the version vectors of every event minted for the key
 * @param maxVersion  highest Lamport version minted for the key
 * @param unconfirmed own writes, oldest first, that may not be in the converged view yet
 */
record KeyHistory(VersionVector vector, long maxVersion, List<OwnWrite> unconfirmed) {

    /** Unconfirmed writes kept per key; older patches are folded together beyond it. */
    static final int MAX_UNCONFIRMED = 64;

    static final KeyHistory EMPTY = new KeyHistory(VersionVector.empty(), 0, List.of());

    KeyHistory {
        unconfirmed = List.copyOf(unconfirmed);
    }

    /** The history after minting {@code write} with {@code eventVector} and {@code version}. */
    KeyHistory after(OwnWrite write, VersionVector eventVector, long version) {
        List<OwnWrite> next;
        if (write.op() == Operation.PATCH) {
            next = new ArrayList<>(unconfirmed);
            next.add(write);
            while (next.size() > MAX_UNCONFIRMED) {
                next.set(1, fold(next.get(0), next.get(1)));
                next.remove(0);
            }
        } else {
            // a full replacement makes every earlier write irrelevant to the state
            next = List.of(write);
        }
        return new KeyHistory(vector.join(eventVector), Math.max(maxVersion, version), next);
    }

    /** Drops the writes the converged view has seen: those with a counter at or below its counter for the site. */
    KeyHistory confirmedUpTo(long convergedCounter) {
        if (unconfirmed.isEmpty() || unconfirmed.get(0).counter() > convergedCounter) {
            return this;
        }
        List<OwnWrite> left = unconfirmed.stream().filter(w -> w.counter() > convergedCounter).toList();
        return new KeyHistory(vector, maxVersion, left);
    }

    /** Writes with a counter above {@code convergedCounter}, oldest first. */
    List<OwnWrite> unconfirmedAfter(long convergedCounter) {
        if (unconfirmed.isEmpty() || unconfirmed.get(0).counter() > convergedCounter) {
            return unconfirmed;
        }
        return unconfirmed.stream().filter(w -> w.counter() > convergedCounter).toList();
    }

    /** One write with the effect of {@code first} then {@code second} on any state. */
    private static OwnWrite fold(OwnWrite first, OwnWrite second) {
        Set<String> changed = new HashSet<>(first.changed());
        changed.addAll(second.changed());
        if (first.op() == Operation.PATCH) {
            return new OwnWrite(second.counter(), Operation.PATCH, second.fields(), sorted(changed));
        }
        // a replacement followed by a patch is a replacement with the patched state
        Map<String, Object> state = new TreeMap<>(first.fields());
        second.applyTo(state);
        return new OwnWrite(second.counter(), Operation.UPSERT, state, sorted(changed));
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
