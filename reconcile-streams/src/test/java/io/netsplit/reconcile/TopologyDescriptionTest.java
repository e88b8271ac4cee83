package io.netsplit.reconcile;

import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden test on {@code Topology#describe()}: a renamed node, store or topic changes the state and
 * internal topics of every running site, so any change must be deliberate. To accept a change, run
 * with {@code -Dgolden.update=true} and commit the updated {@code topology.txt}.
 */
class TopologyDescriptionTest {

    static final String GOLDEN = "/io/netsplit/reconcile/topology.txt";

    private static ReconcileConfig config() {
        return ReconcileConfig.parse(Map.of(ReconcileConfig.SITE, "us-east", ReconcileConfig.BOOTSTRAP_SERVERS, "unused:9092",
                ReconcileConfig.REGISTRY_URL, "mock://describe"));
    }

    @Test
    void shouldMatchTheGoldenDescription() throws IOException {
        String actual = ReconcileTopology.build(config()).describe().toString();
        if (Boolean.getBoolean("golden.update")) {
            Path file = Path.of("src/test/resources" + GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        String golden;
        try (InputStream in = TopologyDescriptionTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("golden file " + GOLDEN + " (create it with -Dgolden.update=true)").isNotNull();
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).as("topology changed; if deliberate, re-run with -Dgolden.update=true and commit " + GOLDEN)
                .isEqualTo(golden);
    }

    @Test
    void shouldNameEveryNodeAndHaveNoRepartitionTopic() {
        TopologyDescription d = ReconcileTopology.build(config()).describe();
        assertThat(d.subtopologies()).hasSize(2);
        d.subtopologies().forEach(s -> s.nodes().forEach(n -> assertThat(n.name()).startsWith("reconcile-")
                .doesNotContain("KSTREAM-").doesNotContain("KTABLE-")));
        assertThat(d.toString()).doesNotContain("-repartition");
    }

    @Test
    void shouldLeaveOutTheIngestStageInAReplay() {
        TopologyDescription d = ReconcileTopology.build(config().forReplay("x", Path.of("/tmp/x"), 10)).describe();
        assertThat(d.subtopologies()).hasSize(1);
        assertThat(d.toString()).doesNotContain(ReconcileTopology.INPUTS_SOURCE).contains("converged.replay-x");
    }
}
