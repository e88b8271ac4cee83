package io.netsplit.writer.internal;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import java.util.LinkedHashMap;
import java.util.Map;

/** Conversions between the merge core's causal types and their Avro forms. */
public final class Vectors {

    private Vectors() {
    }

    public static VersionVector fromAvro(Map<String, Long> map) {
        return map == null || map.isEmpty() ? VersionVector.empty() : VersionVector.of(map);
    }

    public static Map<String, Long> toAvro(VersionVector vector) {
        return new LinkedHashMap<>(vector.asMap());
    }

    public static Hlc fromAvro(io.netsplit.schemas.Hlc hlc) {
        return new Hlc(hlc.getPhysicalMillis(), hlc.getLogical());
    }

    public static io.netsplit.schemas.Hlc toAvro(Hlc hlc) {
        return new io.netsplit.schemas.Hlc(hlc.physicalMillis(), hlc.logical());
    }

    public static Dot fromAvro(io.netsplit.schemas.Dot dot) {
        return new Dot(dot.getSite(), dot.getCounter());
    }

    public static io.netsplit.schemas.Dot toAvro(Dot dot) {
        return new io.netsplit.schemas.Dot(dot.site(), dot.counter());
    }
}
