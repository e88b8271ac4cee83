package io.netsplit.audit;

import io.netsplit.audit.store.SequenceRange;

import java.util.List;

/**
 * What a repair did for one deciding site: the ranges missing before, the records restored from the
 * audit topic (and their ranges), and what is still missing because the topic no longer has it.
 *
 * @param decidingSite   the deciding site
 * @param missingBefore  missing ranges when the repair started
 * @param restored       records restored
 * @param restoredRanges the sequence ranges restored
 * @param stillMissing   ranges still missing afterwards; empty when the site's audit is complete
 */
public record SiteRepair(String decidingSite, List<SequenceRange> missingBefore, long restored,
                         List<SequenceRange> restoredRanges, List<SequenceRange> stillMissing) {

    public SiteRepair {
        missingBefore = List.copyOf(missingBefore);
        restoredRanges = List.copyOf(restoredRanges);
        stillMissing = List.copyOf(stillMissing);
    }
}
