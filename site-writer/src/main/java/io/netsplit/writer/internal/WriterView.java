package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Sibling;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key as this writer sees it when it mints: the site's converged record with this writer's own writes that the
 * converged view has not incorporated yet replayed on top, the join of both vectors, the higher version.
 *
 * @param exists  whether the entity exists (was written and is not deleted)
 * @param deleted whether the latest known write deleted it
 * @param fields  the full state (empty when deleted or absent)
 * @param vector  the converged vector joined with everything this writer minted for the key
 * @param version the highest Lamport version known for the key (0 if none)
 * @param maxHlc  the highest HLC the converged record names (its {@code maxHlc}, and its siblings' readings for a
 *                record written before that field), or null
 */
record WriterView(boolean exists, boolean deleted, Map<String, Object> fields, VersionVector vector, long version,
                  Hlc maxHlc) {

    static WriterView of(String site, ConvergedRecord converged, KeyHistory own) {
        Map<String, Object> state = new TreeMap<>();
        boolean deleted = false;
        boolean exists = false;
        VersionVector vector = VersionVector.empty();
        long version = 0;
        Hlc maxHlc = null;
        long seenOwnCounter = 0;
        if (converged != null) {
            vector = Vectors.fromAvro(converged.getVersionVector());
            version = converged.getVersion();
            deleted = converged.getDeleted();
            exists = !deleted;
            if (!deleted) {
                state.putAll(FieldMaps.mutable(converged.getFields()));
            }
            seenOwnCounter = vector.get(site);
            if (converged.getMaxHlc() != null) {
                maxHlc = Vectors.fromAvro(converged.getMaxHlc());
            }
            for (Sibling s : converged.getSiblings()) {
                Hlc h = Vectors.fromAvro(s.getHlc());
                maxHlc = maxHlc == null ? h : maxHlc.max(h);
            }
        }
        if (own != null) {
            for (OwnWrite w : own.unconfirmedAfter(seenOwnCounter)) {
                deleted = w.applyTo(state);
                exists = !deleted;
            }
            vector = vector.join(own.vector());
            version = Math.max(version, own.maxVersion());
        }
        return new WriterView(exists, deleted, FieldMaps.copy(state), vector, version, maxHlc);
    }

    /** The entity tag of this state ({@link ETags}): equal to the tag of the write that made it. */
    String etag() {
        return ETags.of(version, vector);
    }
}
