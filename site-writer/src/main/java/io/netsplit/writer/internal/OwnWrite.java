package io.netsplit.writer.internal;

import io.netsplit.schemas.Operation;
import java.util.List;
import java.util.Map;

/**
 * One write this writer minted for a key, kept until the site's converged view has incorporated it: replaying the
 * unincorporated writes on top of the converged state gives the state "as this writer saw it".
 *
 * @param counter the write's dot counter at this site
 * @param op      UPSERT or DELETE replace the whole state; PATCH overlays {@code changed}
 * @param fields  the full entity state after the write (empty for a delete)
 * @param changed the fields the write set or removed
 */
record OwnWrite(long counter, Operation op, Map<String, Object> fields, List<String> changed) {

    OwnWrite {
        fields = FieldMaps.copy(fields);
        changed = List.copyOf(changed);
    }

    /** Applies this write to {@code state} (mutated) and returns whether the entity is deleted afterwards. */
    boolean applyTo(Map<String, Object> state) {
        switch (op) {
            case UPSERT -> {
                state.clear();
                state.putAll(fields);
                return false;
            }
            case DELETE -> {
                state.clear();
                return true;
            }
            case PATCH -> {
                for (String name : changed) {
                    if (fields.containsKey(name)) {
                        state.put(name, fields.get(name));
                    } else {
                        state.remove(name);
                    }
                }
                return false;
            }
            default -> throw new IllegalStateException("unknown operation " + op);
        }
    }
}
