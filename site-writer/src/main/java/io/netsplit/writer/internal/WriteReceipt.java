package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Operation;

/**
 * What a committed write returns to its client, and what a retry with the same Idempotency-Key returns again.
 *
 * @param status      201 when the write created the entity (it did not exist in the writer's view), else 200
 * @param fingerprint the request's {@link WriteCommand#fingerprint()}, or null for an event written before
 *                    fingerprints were recorded
 */
public record WriteReceipt(String key, Operation op, Dot dot, long version, VersionVector vector, Hlc hlc,
                           long wallClockMillis, String idempotencyKey, int status, String fingerprint) {

    static WriteReceipt of(ChangeEvent event, int status, String fingerprint) {
        return new WriteReceipt(event.getKey(), event.getOp(), Vectors.fromAvro(event.getDot()), event.getVersion(),
                Vectors.fromAvro(event.getVersionVector()), Vectors.fromAvro(event.getHlc()),
                event.getWallClockMillis(), event.getIdempotencyKey(), status, fingerprint);
    }

    /** The entity tag of the state this write made (what the writer's view of the key is at right after it). */
    public String etag() {
        return ETags.of(version, vector);
    }

    /**
     * Whether {@code command}, sent with this receipt's Idempotency-Key, is the request this receipt answered: same
     * key, operation, fields and precondition (for events without a recorded fingerprint: same key and operation).
     */
    boolean answers(WriteCommand command) {
        if (!key.equals(command.key()) || op != command.op()) {
            return false;
        }
        return fingerprint == null || fingerprint.equals(command.fingerprint());
    }
}
