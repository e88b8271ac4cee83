package io.netsplit.writer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.kit.Json;
import io.netsplit.schemas.Operation;
import io.netsplit.writer.SiteWriterConfig;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the parts of an HTTP write request into a {@link WriteCommand}, or refuses it with an {@link ApiError}:
 * 400 (malformed JSON, wrong types, bad key or header), 413 (too many or too large fields), 415 (not JSON).
 * Limits come from {@link SiteWriterConfig}. Messages name the problem and the limit, never the user's values.
 */
public final class RequestParser {

    /** A field named twice is refused, not "the last one wins" ({@link Json#strict()}). */
    private static final ObjectMapper JSON = Json.strict();

    private final int maxKeyBytes;
    private final int maxFields;
    private final int maxFieldNameBytes;
    private final int maxValueBytes;
    private final int maxIdempotencyKeyLength;

    public RequestParser(SiteWriterConfig config) {
        this.maxKeyBytes = config.maxKeyBytes();
        this.maxFields = config.maxFields();
        this.maxFieldNameBytes = config.maxFieldNameBytes();
        this.maxValueBytes = config.maxValueBytes();
        this.maxIdempotencyKeyLength = config.idempotencyKeyMaxLength();
    }

    /** The entity key from the raw (percent-encoded) path segment after {@code /entities/}. */
    public String key(String rawSegment) {
        if (rawSegment == null || rawSegment.isEmpty()) {
            throw new ApiError(400, "invalid_key", "the entity key is empty: use /entities/{key}");
        }
        if (rawSegment.indexOf('/') >= 0) {
            throw new ApiError(400, "invalid_key", "the entity key must be one path segment; encode '/' as %2F");
        }
        String key = percentDecode(rawSegment);
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxKeyBytes) {
            throw new ApiError(400, "invalid_key", "the entity key is " + bytes + " bytes long; the limit is "
                    + maxKeyBytes + " (" + SiteWriterConfig.MAX_KEY_BYTES + ")");
        }
        if (key.isBlank()) {
            throw new ApiError(400, "invalid_key", "the entity key is blank");
        }
        int bad = unprintable(key);
        if (bad >= 0) {
            throw new ApiError(400, "invalid_key", "the entity key contains a control or bidirectional-formatting "
                    + "character at index " + bad);
        }
        return key;
    }

    /** Checks that a body is declared as JSON (415 otherwise). */
    public void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new ApiError(415, "unsupported_media_type", "missing Content-Type: send application/json");
        }
        String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
            throw new ApiError(415, "unsupported_media_type", "Content-Type " + truncate(mime, 64)
                    + " is not supported: send application/json");
        }
    }

    /** The fields of a PUT or PATCH body: a JSON object of string, number, boolean or null values. */
    public Map<String, Object> fields(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiError(400, "invalid_json", "the request body is empty: send a JSON object of fields");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid_json", "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + jsonProblem(e));
        } catch (java.io.IOException e) {
            throw new ApiError(400, "invalid_json", "unreadable request body");
        }
        if (root == null || root.isMissingNode()) {
            throw new ApiError(400, "invalid_json", "the request body is empty: send a JSON object of fields");
        }
        if (!root.isObject()) {
            throw new ApiError(400, "invalid_type", "the body must be a JSON object of fields, not "
                    + kind(root));
        }
        if (root.size() > maxFields) {
            throw new ApiError(413, "too_many_fields", "the body has " + root.size() + " fields; the limit is "
                    + maxFields + " (" + SiteWriterConfig.MAX_FIELDS + ")");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        int index = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (name.isEmpty()) {
                throw new ApiError(400, "invalid_field", "field #" + index + " has an empty name");
            }
            int bad = unprintable(name);
            if (bad >= 0) {
                throw new ApiError(400, "invalid_field", "field #" + index + " has a control or "
                        + "bidirectional-formatting character in its name at index " + bad);
            }
            if (nameBytes > maxFieldNameBytes) {
                throw new ApiError(400, "invalid_field", "field #" + index + " has a " + nameBytes
                        + "-byte name; the limit is " + maxFieldNameBytes + " (" + SiteWriterConfig.MAX_FIELD_NAME_BYTES + ")");
            }
            fields.put(name, value(e.getValue(), index));
            index++;
        }
        return fields;
    }

    private Object value(JsonNode v, int index) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new ApiError(400, "invalid_type", "field #" + index + " is an integer outside the 64-bit range");
            }
            return v.longValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (Double.isInfinite(d) || Double.isNaN(d)) {
                throw new ApiError(400, "invalid_type", "field #" + index + " is a number outside the double range");
            }
            return d;
        }
        if (v.isTextual()) {
            String s = v.textValue();
            int bytes = s.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxValueBytes) {
                throw new ApiError(413, "value_too_large", "field #" + index + " has a " + bytes
                        + "-byte value; the limit is " + maxValueBytes + " (" + SiteWriterConfig.MAX_VALUE_BYTES + ")");
            }
            return s;
        }
        throw new ApiError(400, "invalid_type", "field #" + index + " is " + kind(v)
                + "; values must be strings, numbers, booleans or null");
    }

    /** The Idempotency-Key header, or null; printable ASCII, bounded. */
    public String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        String key = header.strip();
        if (key.isEmpty()) {
            throw new ApiError(400, "invalid_header", "Idempotency-Key is empty");
        }
        if (key.length() > maxIdempotencyKeyLength) {
            throw new ApiError(400, "invalid_header", "Idempotency-Key is " + key.length() + " characters; the limit is "
                    + maxIdempotencyKeyLength + " (" + SiteWriterConfig.IDEMPOTENCY_KEY_MAX_LENGTH + ")");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new ApiError(400, "invalid_header", "Idempotency-Key must be printable ASCII without spaces");
            }
        }
        return key;
    }

    /**
     * The precondition of {@code If-Match} ({@code *}, or entity tags as the writer sent them in {@code ETag}:
     * {@code "8-1f3a…"}, comma-separated) and {@code If-None-Match} (only {@code *}: create, never overwrite), or
     * null when neither is sent. A bare version ({@code 7}) is refused: a version alone cannot tell two writes at
     * one version apart. Weak tags ({@code W/"…"}) are accepted and never match (strong comparison).
     */
    public Precondition precondition(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new ApiError(400, "invalid_header", "send If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.strip().equals("*")) {
                throw new ApiError(400, "invalid_header", "If-None-Match takes only * (create the key only if it "
                        + "does not exist)");
            }
            return new Precondition.Absent();
        }
        if (ifMatch == null) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.equals("*")) {
            return new Precondition.Exists();
        }
        java.util.List<String> strong = new java.util.ArrayList<>();
        for (String part : v.split(",", -1)) {
            String tag = part.strip();
            boolean weak = tag.startsWith("W/");
            if (weak) {
                tag = tag.substring(2);
            }
            if (tag.length() < 2 || !tag.startsWith("\"") || !tag.endsWith("\"")
                    || tag.substring(1, tag.length() - 1).chars().anyMatch(c -> c == '"' || c < 0x21 || c > 0x7e)) {
                throw new ApiError(400, "invalid_header", "If-Match takes * or entity tags as sent in ETag "
                        + "(quoted, e.g. \"8-1f3a09c2d4e5b6a7\"); a bare version cannot tell two writes at one "
                        + "version apart");
            }
            if (!weak) {
                strong.add(tag.substring(1, tag.length() - 1));
            }
        }
        return new Precondition.Matches(strong);
    }

    /** A command for a method; 405 for methods the API does not know. */
    public static Operation operation(String method) {
        return switch (method) {
            case "PUT" -> Operation.UPSERT;
            case "PATCH" -> Operation.PATCH;
            case "DELETE" -> Operation.DELETE;
            default -> throw new ApiError(405, "method_not_allowed", "unknown operation " + truncate(method, 16)
                    + " on /entities/{key}: use GET, PUT, PATCH or DELETE");
        };
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "unsupported JSON";
        };
    }

    private static String jsonProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "parse error";
        }
        // Jackson quotes the offending token; keep the message about the problem, short and on one line
        if (m.startsWith("Duplicate field")) {
            return "duplicate field name";
        }
        m = m.replace('\n', ' ').replace('\r', ' ');
        int quote = m.indexOf('\'');
        if (quote > 0) {
            m = m.substring(0, quote).strip();
        }
        return truncate(m, 120);
    }

    /**
     * The index of the first character a key or field name may not hold, or -1: control characters (C0, DEL, C1)
     * and the bidirectional formatting characters (embeddings, overrides, isolates and marks: U+061C, U+200E, U+200F,
     * U+202A–U+202E, U+2066–U+2069), which make a printed key read as another one in logs, terminals and CSV files.
     */
    static int unprintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u061C' || c == '\u200E' || c == '\u200F'
                    || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069') {
                return i;
            }
        }
        return -1;
    }

    static String truncate(String s, int max) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }

    /** RFC 3986 percent-decoding of a path segment ('+' stays '+'); 400 on a broken escape or invalid UTF-8. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new ApiError(400, "invalid_key", "the entity key has a truncated %-escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new ApiError(400, "invalid_key", "the entity key has an invalid %-escape");
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (out.length < n + b.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2 + b.length);
                }
                System.arraycopy(b, 0, out, n, b.length);
                n += b.length;
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ApiError(400, "invalid_key", "the entity key is not valid UTF-8 after %-decoding");
        }
    }
}
