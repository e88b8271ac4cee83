package io.netsplit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicSettingsTest {

    @Test
    void shouldReplicateThreeTimesWhereTheClusterHasThreeBrokers() {
        assertThat(TopicSettings.replicationFactor(1)).isEqualTo((short) 1);
        assertThat(TopicSettings.replicationFactor(2)).isEqualTo((short) 2);
        assertThat(TopicSettings.replicationFactor(3)).isEqualTo((short) 3);
        assertThat(TopicSettings.replicationFactor(7)).isEqualTo((short) 3);
        assertThatThrownBy(() -> TopicSettings.replicationFactor(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCreateChangesWithAnExplicitRetentionAndDurableTopicsWithMinInsyncTwo() {
        assertThat(TopicSettings.configs(TopicName.CHANGES, (short) 1, -1))
                .containsExactlyEntriesOf(java.util.Map.of("retention.ms", "-1"));
        assertThat(TopicSettings.configs(TopicName.CHANGES, (short) 3, 5000))
                .containsEntry("retention.ms", "5000").containsEntry("min.insync.replicas", "2");
        assertThat(TopicSettings.configs(TopicName.CONVERGED, (short) 3, 5000))
                .containsEntry("cleanup.policy", "compact").containsEntry("min.insync.replicas", "2")
                .doesNotContainKey("retention.ms");
        assertThat(TopicSettings.configs(TopicName.LOG, (short) 2, 5000))
                .containsEntry("retention.ms", "-1").doesNotContainKey("min.insync.replicas");
        assertThat(TopicSettings.newTopic(TopicName.AUDIT, "audit", 1, (short) 3, 5000).replicationFactor())
                .isEqualTo((short) 3);
    }

    @Test
    void shouldNameWhatKeepsATopicFromSurvivingTheLossOfABroker() {
        assertThat(TopicSettings.durabilityProblem("changes", 3, 2)).isEmpty();
        assertThat(TopicSettings.durabilityProblem("changes", 5, 3)).isEmpty();
        assertThat(TopicSettings.durabilityProblem("changes", 1, 1))
                .hasValue("topic changes: replication factor 1 < 3, min.insync.replicas 1 < 2");
        assertThat(TopicSettings.durabilityProblem("changes", 3, 1))
                .hasValue("topic changes: min.insync.replicas 1 < 2");
    }
}
