package io.netsplit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopicNameTest {

    @Test
    void shouldNameEveryTopicOnceWithLegalDistinctDefaults() {
        assertThat(Arrays.stream(TopicName.values()).map(TopicName::defaultName))
                .containsExactly("changes", "converged", "audit", "changes.dlq", "changes.redrive", "reconcile.log", "health.status")
                .allMatch(TopicName::isLegal);
        assertThat(Arrays.stream(TopicName.values()).map(TopicName::key)).doesNotHaveDuplicates()
                .allMatch(k -> k.startsWith("topic."));
        assertThat(TopicName.CONVERGED.cleanup()).isEqualTo(TopicName.Cleanup.COMPACT);
        assertThat(TopicName.LOG.cleanup()).isEqualTo(TopicName.Cleanup.KEEP_FOREVER);
        assertThat(TopicName.isLegal("a b")).isFalse();
    }
}
