package io.netsplit.writer.internal;

import io.netsplit.schemas.Operation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A validated write request: what the client asked for, before minting.
 *
 * @param key            entity key (validated: non-empty, bounded)
 * @param op             UPSERT (PUT), PATCH or DELETE
 * @param fields         the request's fields (empty for DELETE); values null, Boolean, Long, Double or String
 * @param idempotencyKey the client's Idempotency-Key, or null
 * @param precondition   what the key's state must be for the write to happen ({@code If-Match},
 *                       {@code If-None-Match}), or null for none
 */
public record WriteCommand(String key, Operation op, Map<String, Object> fields, String idempotencyKey,
                           Precondition precondition) {

    public WriteCommand {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        fields = FieldMaps.copy(fields);
    }

    /**
     * The request's fingerprint: a digest of its key, operation, fields (by name, each value with its type) and
     * precondition. Two requests with one Idempotency-Key are the same request only when their fingerprints are
     * equal; the fingerprint travels with the event (a record header), so the check survives restarts.
     */
    String fingerprint() {
        StringBuilder s = new StringBuilder();
        s.append(key.length()).append(':').append(key).append('|').append(op.name()).append('|');
        new TreeMap<>(fields).forEach((name, value) -> {
            String typed = value == null ? "n" : switch (value) {
                case Boolean b -> "b" + b;
                case Long l -> "l" + l;
                case Double d -> "d" + Double.doubleToLongBits(d);
                case String str -> "s" + str;
                default -> "o" + value;
            };
            s.append(name.length()).append(':').append(name).append('=')
                    .append(typed.length()).append(':').append(typed).append(';');
        });
        s.append('|').append(precondition == null ? "" : precondition.canonical());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
