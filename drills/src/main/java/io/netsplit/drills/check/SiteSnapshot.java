package io.netsplit.drills.check;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a drill read from one site after it settled: the reconciler's digest and frontier and
 * counts, the site's converged records, and the dots named in its audit decisions.
 *
 * @param digest        the order-free digest of the converged table (reconciler {@code /digest})
 * @param frontier      the join of every converged vector (site → counter)
 * @param conflicts     status counts as {@code reconcilectl status} prints them
 * @param records       converged records by key
 * @param auditCandidates every dot named as a candidate in one of the site's audit decisions
 * @param auditStored    how many of the site's audit records its audit store holds
 * @param auditMissing   the sequence ranges missing from the store, like {@code 3-5}
 * @param decisionIds    the decision ids of the site's audit decisions, in order
 */
public record SiteSnapshot(String site, String digest, Map<String, Long> frontier, long conflicts, long merged,
                           long pending, Map<String, Record> records, Set<String> auditCandidates,
                           long auditStored, List<String> auditMissing, List<String> decisionIds) {

    public SiteSnapshot {
        frontier = Map.copyOf(frontier);
        records = Map.copyOf(records);
        auditCandidates = Set.copyOf(auditCandidates);
        auditMissing = List.copyOf(auditMissing);
        decisionIds = List.copyOf(decisionIds);
    }

    /** One converged record as the checkers see it. Field values: String, Long, Double, Boolean or null. */
    public record Record(String key, Map<String, Object> fields, boolean deleted, Map<String, Long> vector,
                         long version, String winnerDot, String conflictState) {
        public Record {
            fields = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(fields));
            vector = Map.copyOf(vector);
        }
    }
}
