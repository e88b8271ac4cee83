package io.netsplit.reconcile;

import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Dot;
import io.netsplit.schemas.Hlc;
import io.netsplit.schemas.Operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test fixture: ChangeEvents as a site-writer would mint them, written out by hand. */
final class ChangeEvents {

    private ChangeEvents() {
    }

    /** A vector from {@code site, counter, site, counter...}. */
    static Map<String, Long> vv(Object... pairs) {
        Map<String, Long> v = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            v.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return v;
    }

    /** An UPSERT of {@code fields} (name, value, name, value...) at {@code site}'s counter, having seen {@code vector}. */
    static ChangeEvent upsert(String key, String site, long counter, Map<String, Long> seen, long version, Object... fields) {
        Map<String, Long> vector = new TreeMap<>(seen);
        vector.put(site, counter);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            f.put((String) fields[i], fields[i + 1]);
            changed.add((String) fields[i]);
        }
        return new ChangeEvent(key, site, new Dot(site, counter), vector, version, new Hlc(1_000L * version, 0),
                Operation.UPSERT, f, changed, null, 1_700_000_000_000L + version);
    }

    static ChangeEvent delete(String key, String site, long counter, Map<String, Long> seen, long version) {
        Map<String, Long> vector = new TreeMap<>(seen);
        vector.put(site, counter);
        return new ChangeEvent(key, site, new Dot(site, counter), vector, version, new Hlc(1_000L * version, 0),
                Operation.DELETE, Map.of(), List.of(), null, 1_700_000_000_000L + version);
    }

    /** A copy (the serde and the driver keep references). */
    static ChangeEvent copy(ChangeEvent e) {
        return ChangeEvent.newBuilder(e).build();
    }
}
