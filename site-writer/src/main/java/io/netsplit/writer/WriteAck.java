package io.netsplit.writer;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;

/**
 * The acknowledgement of a committed write: the event's identity and causal tags as minted.
 *
 * @param status          201 (the write created the entity) or 200
 * @param key             entity key
 * @param op              UPSERT, PATCH or DELETE
 * @param dot             the event's dot (site, counter)
 * @param version         its Lamport version
 * @param vector          its version vector
 * @param hlc             its hybrid logical clock reading
 * @param wallClockMillis the writer's wall clock at the write
 * @param idempotencyKey  the Idempotency-Key it was made with, or null
 * @param replayed        true when this answers a retry: the write was made earlier and not repeated
 * @param etag            the entity tag of the state this write made, for {@link WriteOptions#ifMatch(String)}
 */
public record WriteAck(int status, String key, String op, Dot dot, long version, VersionVector vector, Hlc hlc,
                       long wallClockMillis, String idempotencyKey, boolean replayed, String etag) {
}
