package io.netsplit.audit;

import io.netsplit.audit.store.SiteAudit;

import java.util.List;

/**
 * The outcome of {@code audit verify} at one sink: the sequence audit of every deciding site whose
 * records it stores, and how many anomalies (unreadable records, sequence collisions) it kept.
 *
 * @param site          the site whose sink was asked
 * @param decidingSites per deciding site: the sequence range received, records stored, missing ranges
 * @param anomalies     anomalies kept in the store
 */
public record VerifyReport(String site, List<SiteAudit> decidingSites, long anomalies) {

    public VerifyReport {
        decidingSites = List.copyOf(decidingSites);
    }

    public boolean complete() {
        return decidingSites.stream().allMatch(SiteAudit::complete);
    }
}
