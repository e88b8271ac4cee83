package io.netsplit.writer.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Field maps as the schema types them: name to null, Boolean, Long, Double or String; copied, sorted, unmodifiable. */
final class FieldMaps {

    private FieldMaps() {
    }

    /** An unmodifiable, name-sorted copy that keeps null values (a field set to null is not an absent field). */
    static Map<String, Object> copy(Map<String, ?> fields) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            sorted.put(e.getKey(), normalize(e.getValue()));
        }
        return Collections.unmodifiableMap(sorted);
    }

    /** A mutable copy, keeping nulls. */
    static Map<String, Object> mutable(Map<String, ?> fields) {
        Map<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> copy.put(k, normalize(v)));
        return copy;
    }

    /** Avro may hand strings as Utf8 and integers as Integer; the writer works with String and Long. */
    static Object normalize(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof CharSequence cs) {
            return cs.toString();
        }
        throw new IllegalArgumentException("unsupported field value type " + value.getClass().getSimpleName());
    }
}
