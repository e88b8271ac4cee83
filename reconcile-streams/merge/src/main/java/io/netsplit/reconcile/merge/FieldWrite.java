package io.netsplit.reconcile.merge;

import java.util.Objects;

/**
 * What one received event did to one field: the per-field causal information field-merge needs.
 * {@code value == null} means the write removed the field (or deleted the entity).
 *
 * @param dot     the writing event
 * @param vector  the writing event's version vector
 * @param version the writing event's Lamport version
 * @param value   the value it set, or null if it removed the field
 */
public record FieldWrite(Dot dot, VersionVector vector, long version, FieldValue value) {

    public FieldWrite {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(vector, "vector");
    }

    static FieldWrite of(Change change, String field) {
        return new FieldWrite(change.dot(), change.vector(), change.version(),
                change.isDelete() ? null : change.fields().get(field));
    }

    static FieldWrite deletion(Change change) {
        return new FieldWrite(change.dot(), change.vector(), change.version(), null);
    }
}
