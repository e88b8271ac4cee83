package io.netsplit.reconcile.merge;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One write at one site, as the merge sees it: the same content as the Avro {@code ChangeEvent}
 * minus transport concerns. The Kafka Streams adapter converts each Avro record into one of these.
 *
 * <p>Invariants checked here: {@code vector.get(dot.site()) == dot.counter()} (the writer's vector
 * includes its own dot and nothing later from its own site), {@code version >= 1}, a DELETE carries
 * no fields.
 *
 * @param key            entity key
 * @param dot            the write's identity; {@code dot.site()} is the origin site
 * @param vector         everything the writer had seen for the key, plus its own dot
 * @param version        Lamport version: 1 + the highest version the writer had seen for the key
 * @param hlc            hybrid logical clock at the writer
 * @param op             UPSERT, PATCH or DELETE
 * @param fields         the full entity field map after the write, as the writer saw it (empty for DELETE)
 * @param changedFields  names of the fields this write set or removed
 * @param idempotencyKey the client's idempotency key, or null
 * @param wallClockMillis wall-clock time at the writer, for humans only: no decision reads it
 */
public record Change(
        String key,
        Dot dot,
        VersionVector vector,
        long version,
        Hlc hlc,
        Op op,
        SortedMap<String, FieldValue> fields,
        SortedSet<String> changedFields,
        String idempotencyKey,
        long wallClockMillis) {

    public Change {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(hlc, "hlc");
        Objects.requireNonNull(op, "op");
        if (vector.get(dot.site()) != dot.counter()) {
            throw new IllegalArgumentException("change " + dot + " for key " + key + ": vector " + vector
                    + " must hold exactly the dot's counter for " + dot.site());
        }
        if (version < 1) {
            throw new IllegalArgumentException("change " + dot + " for key " + key + ": version must be >= 1, was " + version);
        }
        fields = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(fields, "fields")));
        for (Map.Entry<String, FieldValue> e : fields.entrySet()) {
            Objects.requireNonNull(e.getKey(), "field name");
            Objects.requireNonNull(e.getValue(), () -> "value of field " + e.getKey() + " (use FieldValue.NULL)");
        }
        if (op == Op.DELETE && !fields.isEmpty()) {
            throw new IllegalArgumentException("change " + dot + " for key " + key + ": a DELETE carries no fields");
        }
        changedFields = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(changedFields, "changedFields")));
    }

    /** The origin site alias. */
    public String site() {
        return dot.site();
    }

    public boolean isDelete() {
        return op == Op.DELETE;
    }

    /** True iff this write set or removed the field; a DELETE removes every field. */
    public boolean changes(String field) {
        return op == Op.DELETE || changedFields.contains(field);
    }

    /** A compact builder for tests, examples and the site-writer. */
    public static Builder builder(String key, Dot dot) {
        return new Builder(key, dot);
    }

    /** Builds a {@link Change}; defaults: vector = just the dot, version 1, HLC zero, UPSERT. */
    public static final class Builder {
        private final String key;
        private final Dot dot;
        private VersionVector vector;
        private long version = 1;
        private Hlc hlc = Hlc.zero();
        private Op op = Op.UPSERT;
        private final TreeMap<String, FieldValue> fields = new TreeMap<>();
        private TreeSet<String> changed;
        private String idempotencyKey;
        private long wallClockMillis;

        private Builder(String key, Dot dot) {
            this.key = key;
            this.dot = dot;
            this.vector = VersionVector.empty().with(dot);
        }

        /** The vector the writer had seen; the dot is added to it. */
        public Builder saw(VersionVector seen) {
            this.vector = seen.with(dot);
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        public Builder hlc(Hlc hlc) {
            this.hlc = hlc;
            return this;
        }

        public Builder op(Op op) {
            this.op = op;
            return this;
        }

        public Builder field(String name, FieldValue value) {
            fields.put(name, value);
            return this;
        }

        public Builder field(String name, String value) {
            return field(name, FieldValue.of(value));
        }

        public Builder fields(Map<String, FieldValue> all) {
            fields.putAll(all);
            return this;
        }

        /** Names of changed fields; if never called, every field in the map counts as changed. */
        public Builder changed(String... names) {
            changed = new TreeSet<>(Set.of(names));
            return this;
        }

        public Builder changed(Set<String> names) {
            changed = new TreeSet<>(names);
            return this;
        }

        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public Builder wallClockMillis(long wallClockMillis) {
            this.wallClockMillis = wallClockMillis;
            return this;
        }

        public Change build() {
            SortedSet<String> ch = changed != null ? changed : new TreeSet<>(fields.keySet());
            return new Change(key, dot, vector, version, hlc, op, fields, ch, idempotencyKey, wallClockMillis);
        }
    }
}
