package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class DockerEngineTest {

    @Test
    void shouldSkipContainerTestsWithAVisibleReasonWithoutDocker() {
        ConditionEvaluationResult r = new ContainersLabExtension(() -> false).evaluateExecutionCondition(null);
        assertThat(r.isDisabled()).isTrue();
        assertThat(r.getReason()).contains("skipped: no Docker engine");
    }

    @Test
    void shouldRunContainerTestsWhereDockerAnswers() {
        assertThat(new ContainersLabExtension(() -> true).evaluateExecutionCondition(null).isDisabled()).isFalse();
    }

    @Test
    void shouldGiveEveryOrderedSitePairOneLinkAdvertisedAtToxiproxy() {
        var links = ContainersLab.links(List.of("us-east", "eu-west", "ap-south"));
        assertThat(links).extracting(l -> l.id()).containsExactly("us-east->eu-west", "us-east->ap-south",
                "eu-west->us-east", "eu-west->ap-south", "ap-south->us-east", "ap-south->eu-west");
        assertThat(links).extracting(l -> l.listen()).doesNotHaveDuplicates().allMatch(l -> l.startsWith("toxiproxy:"));
        assertThat(links).extracting(l -> l.upstream()).doesNotHaveDuplicates();
        assertThat(links.get(0).listener()).isEqualTo("WAN_EU_WEST");
        assertThat(links.get(0).upstream()).isEqualTo("kafka-us-east:9094");
    }

    @Test
    void shouldRejectAnUnknownLabProvider() {
        String old = System.getProperty(LabProviderExtension.PROVIDER_PROPERTY);
        try {
            System.setProperty(LabProviderExtension.PROVIDER_PROPERTY, "kubernetes");
            org.assertj.core.api.Assertions.assertThatThrownBy(LabProviderExtension::provider)
                    .hasMessageContaining("netsplit.lab.provider=kubernetes");
            System.setProperty(LabProviderExtension.PROVIDER_PROPERTY, "Containers");
            assertThat(LabProviderExtension.provider()).isEqualTo("containers");
        } finally {
            if (old == null) {
                System.clearProperty(LabProviderExtension.PROVIDER_PROPERTY);
            } else {
                System.setProperty(LabProviderExtension.PROVIDER_PROPERTY, old);
            }
        }
    }
}
