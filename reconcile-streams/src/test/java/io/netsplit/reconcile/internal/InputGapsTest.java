package io.netsplit.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.reconcile.client.ReconcilerStatus.InputGap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InputGapsTest {

    private static final TopicPartition CHANGES_0 = new TopicPartition("changes", 0);
    private static final TopicPartition CHANGES_1 = new TopicPartition("changes", 1);
    private static final TopicPartition EU_0 = new TopicPartition("eu-west.changes", 0);

    @Test
    void shouldFindACommittedOffsetBelowTheLogStartAndNothingElse() {
        Map<TopicPartition, Long> committed = Map.of(CHANGES_0, 35L, CHANGES_1, 12L, EU_0, 7L);
        Map<TopicPartition, Long> starts = Map.of(CHANGES_0, 181L, CHANGES_1, 12L, EU_0, 0L,
                new TopicPartition("changes.redrive", 0), 50L);

        assertThat(InputGaps.between(committed, starts, 1000)).containsExactly(new InputGap("changes", 0, 35, 146, 1000));
        assertThat(InputGaps.between(committed, starts, 1000).get(0).describe())
                .isEqualTo("changes-0 offsets 35..180 (146 offsets) deleted by retention before they were reconciled");
        // a partition never committed (Streams starts it at the log start) and one unknown to the offsets are no gaps
        assertThat(InputGaps.between(Map.of(EU_0, 3L), Map.of(), 1000)).isEmpty();
    }

    @Test
    void shouldReportEachGapOnceAndAgainOnlyWhenItGrows() {
        InputGaps gaps = new InputGaps();
        InputGap first = new InputGap("changes", 0, 35, 146, 1000);
        assertThat(gaps.record(List.of(first))).containsExactly(first);
        assertThat(gaps.record(List.of(new InputGap("changes", 0, 35, 146, 2000)))).isEmpty();

        // retention deleted more before the reconciler read on: the same gap, grown, keeps when it was first seen
        InputGap grown = new InputGap("changes", 0, 35, 200, 1000);
        assertThat(gaps.record(List.of(new InputGap("changes", 0, 35, 200, 3000)))).containsExactly(grown);

        // a later gap past the first one's end, and one of another partition, are new
        InputGap later = new InputGap("changes", 0, 900, 10, 4000);
        InputGap other = new InputGap("eu-west.changes", 0, 0, 5, 4000);
        assertThat(gaps.record(List.of(later, other))).containsExactly(later, other);
        assertThat(gaps.all()).containsExactly(grown, later, other);

        // once Streams commits past the log start the check sees nothing, and the report stays
        assertThat(gaps.record(List.of())).isEmpty();
        assertThat(gaps.all()).containsExactly(grown, later, other);
    }
}
