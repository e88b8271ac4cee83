package io.netsplit.writer.internal;

import io.netsplit.schemas.Operation;
import java.util.Map;
import java.util.Objects;

/**
 * A validated write request: what the client asked for, before minting.
 *
 * @param key            entity key (validated: non-empty, bounded)
 * @param op             UPSERT (PUT), PATCH or DELETE
 * @param fields         the request's fields (empty for DELETE); values null, Boolean, Long, Double or String
 * @param idempotencyKey the client's Idempotency-Key, or null
 * @param ifMatch        the version the client expects the key to be at, or null for no precondition;
 *                       {@link #IF_MATCH_ANY} for {@code If-Match: *} (the entity must exist)
 */
public record WriteCommand(String key, Operation op, Map<String, Object> fields, String idempotencyKey, Long ifMatch) {

    /** {@code If-Match: *}: any current version, but the entity must exist. */
    public static final long IF_MATCH_ANY = -1;

    public WriteCommand {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        fields = FieldMaps.copy(fields);
    }

    /** Whether another request with the same Idempotency-Key asks for the same write (same key and operation). */
    boolean sameTarget(String otherKey, Operation otherOp) {
        return key.equals(otherKey) && op == otherOp;
    }
}
