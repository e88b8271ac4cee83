package io.netsplit.reconcile.merge;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one canonical binary encoding behind digests, decision ids and the state codec. Big-endian;
 * a string is a 4-byte length then UTF-8 bytes; maps and vectors are written in sorted key order.
 * A field value is a tag byte (0 null, 1 boolean, 2 long, 3 double, 4 string) then its payload:
 * boolean 1 byte (0/1), long 8 bytes, double the 8 bytes of {@link Double#doubleToLongBits}, string
 * as above.
 */
final class Canonical {

    private Canonical() {
    }

    static final byte NULL = 0;
    static final byte BOOL = 1;
    static final byte INT64 = 2;
    static final byte FLOAT64 = 3;
    static final byte TEXT = 4;

    /** Appends canonical encodings to a growing byte array. */
    static final class Out {
        private byte[] buf = new byte[256];
        private int len;

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        Out u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
            return this;
        }

        Out i32(int v) {
            ensure(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
            return this;
        }

        Out i64(long v) {
            i32((int) (v >>> 32));
            return i32((int) v);
        }

        Out bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            return bytes(b);
        }

        Out dot(Dot d) {
            return str(d.site()).i64(d.counter());
        }

        Out vector(VersionVector v) {
            int n = v.size();
            i32(n);
            for (int i = 0; i < n; i++) {
                str(v.siteAt(i)).i64(v.counterAt(i));
            }
            return this;
        }

        Out hlc(Hlc h) {
            return i64(h.physicalMillis()).i32(h.logical());
        }

        Out value(FieldValue v) {
            switch (v) {
                case FieldValue.Null n -> u8(NULL);
                case FieldValue.Bool b -> u8(BOOL).u8(b.value() ? 1 : 0);
                case FieldValue.Int64 l -> u8(INT64).i64(l.value());
                case FieldValue.Float64 d -> u8(FLOAT64).i64(Double.doubleToLongBits(d.value()));
                case FieldValue.Text t -> u8(TEXT).str(t.value());
            }
            return this;
        }

        Out fields(SortedMap<String, FieldValue> fields) {
            i32(fields.size());
            for (Map.Entry<String, FieldValue> e : fields.entrySet()) {
                str(e.getKey()).value(e.getValue());
            }
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads what {@link Out} wrote; every malformed input fails with {@link IllegalArgumentException}. */
    static final class In {
        private final ByteBuffer buf;

        In(byte[] bytes) {
            this.buf = ByteBuffer.wrap(bytes);
        }

        int u8() {
            return get(() -> buf.get() & 0xff);
        }

        int i32() {
            return get(buf::getInt);
        }

        long i64() {
            return get(buf::getLong);
        }

        /** A count that must be plausible for the bytes left (each element takes at least one byte). */
        int count(String what) {
            int n = i32();
            if (n < 0 || n > buf.remaining()) {
                throw new IllegalArgumentException("corrupt " + what + " count " + n + " at byte " + (buf.position() - 4));
            }
            return n;
        }

        private CharsetDecoder utf8;

        String str() {
            int n = count("string length");
            int start = buf.position();
            boolean ascii = true;
            for (int i = start; i < start + n && ascii; i++) {
                ascii = buf.get(i) >= 0;
            }
            if (ascii) { // the common case (aliases, keys, field names): no decoder needed
                String s = new String(buf.array(), start, n, StandardCharsets.ISO_8859_1);
                buf.position(start + n);
                return s;
            }
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            ByteBuffer slice = buf.slice(start, n);
            buf.position(start + n);
            try {
                return utf8.reset().decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("invalid UTF-8 string ending at byte " + buf.position(), e);
            }
        }

        Dot dot() {
            return new Dot(str(), i64());
        }

        VersionVector vector() {
            int n = count("vector size");
            String[] sites = new String[n];
            long[] counters = new long[n];
            for (int i = 0; i < n; i++) {
                sites[i] = str();
                counters[i] = i64();
            }
            return VersionVector.ofSorted(sites, counters);
        }

        Hlc hlc() {
            return new Hlc(i64(), i32());
        }

        FieldValue value() {
            int tag = u8();
            return switch (tag) {
                case NULL -> FieldValue.NULL;
                case BOOL -> new FieldValue.Bool(u8() != 0);
                case INT64 -> new FieldValue.Int64(i64());
                case FLOAT64 -> new FieldValue.Float64(Double.longBitsToDouble(i64()));
                case TEXT -> new FieldValue.Text(str());
                default -> throw new IllegalArgumentException("unknown field value tag " + tag + " at byte " + (buf.position() - 1));
            };
        }

        SortedMap<String, FieldValue> fields() {
            int n = count("field count");
            TreeMap<String, FieldValue> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                m.put(str(), value());
            }
            return m;
        }

        boolean atEnd() {
            return !buf.hasRemaining();
        }

        int position() {
            return buf.position();
        }

        private <T> T get(java.util.function.Supplier<T> read) {
            try {
                return read.get();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated input at byte " + buf.position(), e);
            }
        }
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
