package io.netsplit.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LinkGapTest {

    private static final TopicPartition P0 = new TopicPartition("changes", 0);
    private static final TopicPartition P1 = new TopicPartition("changes", 1);

    @Test
    void shouldFindAGapWhereMirrorMakersPositionIsBelowTheLogStart() {
        assertThat(LinkGap.between(Map.of(P0, 12L, P1, 30L), Map.of(P0, 41L, P1, 30L), 7L))
                .containsExactly(new LinkGap("changes", 0, 12, 29, 7L));
        assertThat(new LinkGap("changes", 0, 12, 29, 7L).describe())
                .isEqualTo("changes-0 offsets 12..40 (29 offsets) deleted by retention before they were mirrored");
    }

    @Test
    void shouldFindNoGapAtOrPastTheLogStartOrWithoutALogStart() {
        assertThat(LinkGap.between(Map.of(P0, 41L, P1, 50L), Map.of(P0, 41L, P1, 10L), 7L)).isEmpty();
        assertThat(LinkGap.between(Map.of(P0, 1L), Map.of(), 7L)).isEmpty();
    }

    @Test
    void shouldMergeALaterSightingOfTheSamePartitionThatStartsWithinTheGap() {
        LinkGap first = new LinkGap("changes", 0, 12, 5, 1L);
        // retention deleted more: the same gap, grown
        assertThat(first.mergedWith(new LinkGap("changes", 0, 12, 9, 2L))).hasValue(new LinkGap("changes", 0, 12, 9, 1L));
        // MM2's committed position caught up (offsets are flushed periodically): the gap starts later
        assertThat(first.mergedWith(new LinkGap("changes", 0, 14, 9, 2L))).hasValue(new LinkGap("changes", 0, 14, 9, 1L));
        // another partition, or a gap past this one's end: a gap of its own
        assertThat(first.mergedWith(new LinkGap("changes", 1, 12, 9, 2L))).isEmpty();
        assertThat(first.mergedWith(new LinkGap("changes", 0, 30, 9, 2L))).isEmpty();
        assertThat(first.endOffset()).isEqualTo(17);
    }
}
