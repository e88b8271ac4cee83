package io.netsplit.reconcile.merge;

import java.util.Objects;

/**
 * A typed entity field value, the same five kinds the ChangeEvent schema carries. A field that is
 * absent from a field map is not the same as a field holding {@link Null}.
 */
public sealed interface FieldValue {

    /** A field explicitly set to null. */
    record Null() implements FieldValue {
        @Override
        public String toString() {
            return "null";
        }
    }

    record Bool(boolean value) implements FieldValue {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record Int64(long value) implements FieldValue {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A double; equality and digests use {@link Double#doubleToLongBits} (one NaN, -0.0 != 0.0). */
    record Float64(double value) implements FieldValue {
        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    record Text(String value) implements FieldValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    FieldValue NULL = new Null();

    static FieldValue of(boolean value) {
        return new Bool(value);
    }

    static FieldValue of(long value) {
        return new Int64(value);
    }

    static FieldValue of(double value) {
        return new Float64(value);
    }

    /** A text value, or {@link #NULL} for a Java null. */
    static FieldValue of(String value) {
        return value == null ? NULL : new Text(value);
    }

    /**
     * The value of a plain Java field value as a decoder hands it over: null, Boolean, Long, Integer
     * (widened), Double, or any CharSequence (Avro's Utf8 among them).
     *
     * @throws IllegalArgumentException for any other type
     */
    static FieldValue ofJava(Object o) {
        if (o == null) {
            return NULL;
        } else if (o instanceof Boolean b) {
            return of(b);
        } else if (o instanceof Long l) {
            return of(l);
        } else if (o instanceof Integer i) {
            return of((long) i);
        } else if (o instanceof Double d) {
            return of(d);
        } else if (o instanceof CharSequence s) {
            return of(s.toString());
        }
        throw new IllegalArgumentException("unsupported field value type " + o.getClass().getSimpleName());
    }
}
