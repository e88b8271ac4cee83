package io.netsplit.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Records a link can never replicate: MirrorMaker 2's position in a source partition fell below that partition's log
 * start offset (retention deleted records it had not copied yet, e.g. during a cut longer than the retention).
 * MM2's consumer then moves on from the log start ({@code auto.offset.reset=earliest}); this is the report that it
 * did, so the loss is never silent. Offsets {@code firstMissingOffset} … {@code firstMissingOffset + lostOffsets - 1}
 * are gone; the count is of offsets, which may include transaction markers of the writer (one per transaction).
 *
 * @param topic              the source topic, e.g. {@code changes}
 * @param partition          its partition
 * @param firstMissingOffset the first offset MM2 had not copied
 * @param lostOffsets        how many offsets were deleted before MM2 copied them
 * @param detectedAtMs       when the link health monitor first saw the gap
 */
public record LinkGap(String topic, int partition, long firstMissingOffset, long lostOffsets, long detectedAtMs) {

    /** One line: {@code changes-0 offsets 12..40 (29 offsets) deleted by retention before they were mirrored}. */
    public String describe() {
        return topic + "-" + partition + " offsets " + firstMissingOffset + ".." + (firstMissingOffset + lostOffsets - 1)
                + " (" + lostOffsets + " offsets) deleted by retention before they were mirrored";
    }

    /**
     * The gaps between MM2's next offset per source partition ({@code positions}, only partitions MM2 has committed
     * a position for) and the partitions' log start offsets.
     */
    public static List<LinkGap> between(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> logStarts,
                                        long nowMs) {
        List<LinkGap> gaps = new ArrayList<>();
        positions.forEach((tp, next) -> {
            Long start = logStarts.get(tp);
            if (start != null && next < start) {
                gaps.add(new LinkGap(tp.topic(), tp.partition(), next, start - next, nowMs));
            }
        });
        gaps.sort(java.util.Comparator.comparing(LinkGap::topic).thenComparingInt(LinkGap::partition));
        return gaps;
    }

    /** The offset after the last one lost. */
    public long endOffset() {
        return firstMissingOffset + lostOffsets;
    }

    /**
     * This gap as {@code later} (seen on a later check of the same partition) corrects or extends it, or empty when
     * {@code later} is a gap of its own: MM2's committed position may have caught up (its offsets are flushed
     * periodically) and retention may have deleted more since.
     */
    Optional<LinkGap> mergedWith(LinkGap later) {
        if (!topic.equals(later.topic) || partition != later.partition || later.firstMissingOffset > endOffset()
                || later.firstMissingOffset < firstMissingOffset) {
            return Optional.empty();
        }
        long end = Math.max(endOffset(), later.endOffset());
        return Optional.of(new LinkGap(topic, partition, later.firstMissingOffset,
                end - later.firstMissingOffset, detectedAtMs));
    }
}
