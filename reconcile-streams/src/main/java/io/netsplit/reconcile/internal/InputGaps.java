package io.netsplit.reconcile.internal;

import io.netsplit.reconcile.client.ReconcilerStatus.InputGap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The input gaps a reconciler has seen since it started: partitions whose committed offset fell below their log start
 * offset, so retention deleted records before they were read. Kafka Streams then goes on from the log start
 * ({@code auto.offset.reset=earliest}); this keeps the report of it, since once Streams commits past the log start the
 * evidence is gone and a gap cannot heal. Thread-safe.
 */
public final class InputGaps {

    private final List<InputGap> known = new ArrayList<>();

    /**
     * The gaps between the committed offsets per partition ({@code committed}, only partitions the application has
     * committed an offset for) and the partitions' log start offsets, sorted by topic and partition.
     */
    public static List<InputGap> between(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> logStarts,
                                         long nowMs) {
        List<InputGap> gaps = new ArrayList<>();
        committed.forEach((tp, next) -> {
            Long start = logStarts.get(tp);
            if (start != null && next < start) {
                gaps.add(new InputGap(tp.topic(), tp.partition(), next, start - next, nowMs));
            }
        });
        gaps.sort(Comparator.comparing(InputGap::topic).thenComparingInt(InputGap::partition));
        return gaps;
    }

    /**
     * Adds the gaps of one check: one that overlaps or adjoins a known gap of its partition corrects or extends it (the
     * committed offset may have moved on within it, retention may have deleted more since); any other is new.
     *
     * @return the gaps that are new or grew, as they are now (what to report)
     */
    public synchronized List<InputGap> record(List<InputGap> seen) {
        List<InputGap> changed = new ArrayList<>();
        for (InputGap gap : seen) {
            int i = indexOfOverlapping(gap);
            if (i < 0) {
                known.add(gap);
                changed.add(gap);
                continue;
            }
            InputGap old = known.get(i);
            long first = Math.min(old.firstMissingOffset(), gap.firstMissingOffset());
            long end = Math.max(old.endOffset(), gap.endOffset());
            InputGap merged = new InputGap(old.topic(), old.partition(), first, end - first, old.detectedAtMs());
            if (!merged.equals(old)) {
                known.set(i, merged);
                changed.add(merged);
            }
        }
        return changed;
    }

    private int indexOfOverlapping(InputGap gap) {
        for (int i = 0; i < known.size(); i++) {
            InputGap k = known.get(i);
            if (k.topic().equals(gap.topic()) && k.partition() == gap.partition()
                    && gap.firstMissingOffset() <= k.endOffset() && k.firstMissingOffset() <= gap.endOffset()) {
                return i;
            }
        }
        return -1;
    }

    /** Every gap seen so far, sorted by topic, partition and first missing offset. */
    public synchronized List<InputGap> all() {
        List<InputGap> out = new ArrayList<>(known);
        out.sort(Comparator.comparing(InputGap::topic).thenComparingInt(InputGap::partition)
                .thenComparingLong(InputGap::firstMissingOffset));
        return List.copyOf(out);
    }
}
