package io.netsplit.audit;

import java.util.List;

/**
 * The outcome of {@code audit repair} at one sink: per deciding site, what was missing, what was
 * restored by re-reading the audit topic, and what is still missing.
 *
 * @param site          the site whose sink repaired its store
 * @param topic         the audit topic it re-read
 * @param recordsRead   records read from the topic during the repair
 * @param decidingSites one entry per deciding site that had gaps
 */
public record RepairReport(String site, String topic, long recordsRead, List<SiteRepair> decidingSites) {

    public RepairReport {
        decidingSites = List.copyOf(decidingSites);
    }

    public boolean complete() {
        return decidingSites.stream().allMatch(s -> s.stillMissing().isEmpty());
    }
}
