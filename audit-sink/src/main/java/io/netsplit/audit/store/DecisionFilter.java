package io.netsplit.audit.store;

import java.util.Set;

/**
 * Which stored decisions a query returns. Null members do not filter. Results are always ordered by
 * (decided at, deciding site, sequence), a total order since (deciding site, sequence) is unique.
 *
 * @param decidingSite only decisions made by this site
 * @param key          only decisions about this entity key
 * @param sinceMillis  only decisions made at or after this time (epoch millis)
 * @param pendingOnly  only conflicts still pending
 * @param kinds        only these decision kinds; null or empty for every kind
 * @param limit        at most this many (the earliest); 0 for no limit
 */
public record DecisionFilter(String decidingSite, String key, Long sinceMillis, boolean pendingOnly,
                             Set<String> kinds, int limit) {

    /** The decision kinds that are conflicts or their resolution: what {@code conflicts list} shows by default. */
    public static final Set<String> CONFLICT_KINDS = Set.of("CONCURRENT_UPDATE", "DELETE_VS_UPDATE", "MANUAL_RESOLUTION");

    public DecisionFilter {
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    /** Every decision. */
    public static DecisionFilter all() {
        return new DecisionFilter(null, null, null, false, Set.of(), 0);
    }
}
