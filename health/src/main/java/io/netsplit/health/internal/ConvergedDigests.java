package io.netsplit.health.internal;

import io.netsplit.reconcile.merge.Digests;
import io.netsplit.reconcile.merge.FieldValue;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ConvergedRecord;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest of a record as read from a {@code converged} topic, computed exactly as the reconciler
 * computes its share of the table digest ({@link Digests#entry}: key, fields, deleted flag, vector).
 * So a reader of the topic can sum the entries of the newest record per key ({@link
 * io.netsplit.reconcile.merge.TableDigest}) and compare the result with the reconciler's
 * {@code GET /digest}: equal when the topic holds what the reconciler holds.
 */
public final class ConvergedDigests {

    private ConvergedDigests() {
    }

    /** The 32-byte entry digest of one converged record; {@link IllegalArgumentException} for an unsupported field value. */
    public static byte[] entry(ConvergedRecord record) {
        SortedMap<String, FieldValue> fields = new TreeMap<>();
        for (Map.Entry<String, Object> e : record.getFields().entrySet()) {
            try {
                fields.put(e.getKey(), FieldValue.ofJava(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("converged record '" + record.getKey() + "' field '" + e.getKey()
                        + "': " + ex.getMessage(), ex);
            }
        }
        return Digests.entry(record.getKey(), fields, record.getDeleted(), VersionVector.of(record.getVersionVector()));
    }
}
