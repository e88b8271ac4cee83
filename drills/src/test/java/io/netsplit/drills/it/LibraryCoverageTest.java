package io.netsplit.drills.it;

import io.netsplit.drills.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every manifest of the library runs in an IT: its sites are those of one of the two labs the ITs start. */
class LibraryCoverageTest {

    @Test
    void everyManifestRunsOnOneOfTheITLabs() throws IOException {
        List<String> all;
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            all = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).map(ScenarioParser::parse)
                    .map(s -> s.id()).sorted().toList();
        }
        List<String> run = new ArrayList<>(DrillHarness.library(DrillHarness.TWO_SITES));
        run.addAll(DrillHarness.library(DrillHarness.THREE_SITES));

        assertThat(all).hasSizeGreaterThanOrEqualTo(10);
        assertThat(run).as("scenarios the ITs run").containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void scenariosThatCrashAProcessRunLastOnTheSharedLab() {
        List<String> two = DrillHarness.library(DrillHarness.TWO_SITES);

        // crash-mid-merge kills a reconciler, registry-outage the registry and a writer
        List<String> crashing = List.of("crash-mid-merge", "registry-outage");
        int others = two.size() - crashing.size();
        assertThat(two.subList(others, two.size())).containsExactlyElementsOf(crashing);
        assertThat(two.subList(0, others)).isSorted().contains("golden-path", "flapping", "policies");
    }
}
