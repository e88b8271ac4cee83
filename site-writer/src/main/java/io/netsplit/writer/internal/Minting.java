package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Operation;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The minting rules, as pure functions: given what the writer sees of a key and a fresh dot and HLC reading, the
 * ChangeEvent for a write.
 *
 * <ul>
 *   <li>vector = the view's vector (converged ⊔ everything this writer minted for the key) with the new dot;</li>
 *   <li>version = 1 + the highest version in the view;</li>
 *   <li>fields = the full state after the write: PUT replaces it, PATCH overlays the given fields on the view's
 *       state, DELETE empties it;</li>
 *   <li>changedFields = the names set or removed (PUT: the union of old and new names).</li>
 * </ul>
 */
public final class Minting {

    private Minting() {
    }

    /** A minted event together with the own-history entry that records it. */
    record Minted(ChangeEvent event, OwnWrite own, VersionVector vector) {
    }

    /** The HLC reading for a write: after the clock's last reading and after any reading the view names. */
    static Hlc nextHlc(Hlc clock, WriterView view, long nowMillis) {
        return view.maxHlc() == null ? clock.tick(nowMillis) : clock.receive(view.maxHlc(), nowMillis);
    }

    static Minted mint(String site, WriteCommand command, WriterView view, Dot dot, Hlc hlc, long wallClockMillis) {
        Map<String, Object> after = new TreeMap<>();
        TreeSet<String> changed = new TreeSet<>();
        switch (command.op()) {
            case UPSERT -> {
                after.putAll(command.fields());
                changed.addAll(command.fields().keySet());
                changed.addAll(view.fields().keySet());
            }
            case PATCH -> {
                after.putAll(view.fields());
                after.putAll(command.fields());
                changed.addAll(command.fields().keySet());
            }
            case DELETE -> changed.addAll(view.fields().keySet());
            default -> throw new IllegalArgumentException("unknown operation " + command.op());
        }
        VersionVector vector = view.vector().with(dot);
        long version = view.version() + 1;
        ChangeEvent event = ChangeEvent.newBuilder()
                .setKey(command.key())
                .setOriginSite(site)
                .setDot(Vectors.toAvro(dot))
                .setVersionVector(Vectors.toAvro(vector))
                .setVersion(version)
                .setHlc(Vectors.toAvro(hlc))
                .setOp(command.op())
                .setFields(new TreeMap<>(after))
                .setChangedFields(changed.stream().toList())
                .setIdempotencyKey(command.idempotencyKey())
                .setWallClockMillis(wallClockMillis)
                .build();
        OwnWrite own = new OwnWrite(dot.counter(), command.op(), after, changed.stream().toList());
        return new Minted(event, own, vector);
    }

    /** Whether the command's precondition ({@code If-Match}, {@code If-None-Match}) holds against the view. */
    static boolean preconditionHolds(Precondition precondition, WriterView view) {
        return precondition == null || precondition.holds(view.exists(), view.etag());
    }

    /** The own-history entry for an event read back from the changes topic. */
    static OwnWrite ownWriteOf(ChangeEvent event) {
        Operation op = event.getOp();
        return new OwnWrite(event.getDot().getCounter(), op, FieldMaps.mutable(event.getFields()),
                event.getChangedFields());
    }
}
