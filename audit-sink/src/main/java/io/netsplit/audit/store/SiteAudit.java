package io.netsplit.audit.store;

import java.util.List;

/**
 * What the store knows about one deciding site's audit sequence: the lowest and highest sequence
 * numbers ever received (kept in a ledger that deleting decision rows does not touch), how many
 * records are stored, and the ranges in between that are missing.
 *
 * @param decidingSite the deciding site
 * @param first        lowest sequence number ever received
 * @param last         highest sequence number ever received
 * @param stored       records stored in [first, last]
 * @param missing      missing ranges, ascending; empty when complete
 */
public record SiteAudit(String decidingSite, long first, long last, long stored, List<SequenceRange> missing) {

    public SiteAudit {
        missing = List.copyOf(missing);
    }

    public boolean complete() {
        return missing.isEmpty();
    }

    public long missingCount() {
        return missing.stream().mapToLong(SequenceRange::size).sum();
    }
}
