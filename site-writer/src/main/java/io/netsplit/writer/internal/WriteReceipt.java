package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Operation;

/**
 * What a committed write returns to its client, and what a retry with the same Idempotency-Key returns again.
 *
 * @param status 201 when the write created the entity (it did not exist in the writer's view), else 200
 */
public record WriteReceipt(String key, Operation op, Dot dot, long version, VersionVector vector, Hlc hlc,
                           long wallClockMillis, String idempotencyKey, int status) {

    static WriteReceipt of(ChangeEvent event, int status) {
        return new WriteReceipt(event.getKey(), event.getOp(), Vectors.fromAvro(event.getDot()), event.getVersion(),
                Vectors.fromAvro(event.getVersionVector()), Vectors.fromAvro(event.getHlc()),
                event.getWallClockMillis(), event.getIdempotencyKey(), status);
    }
}
