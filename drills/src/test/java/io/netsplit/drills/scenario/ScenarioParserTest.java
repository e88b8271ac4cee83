package io.netsplit.drills.scenario;

import io.netsplit.drills.step.Await;
import io.netsplit.drills.step.Generate;
import io.netsplit.drills.step.Isolate;
import io.netsplit.drills.step.Kill;
import io.netsplit.drills.step.Latency;
import io.netsplit.drills.step.Write;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioParserTest {

    private static final String HEADER = """
            scenario: t
            sites: [us-east, eu-west]
            """;

    @Test
    void shouldReadTheGoldenPathManifest() {
        Scenario s = ScenarioParser.parse(Path.of("scenarios/golden-path.yaml"));
        assertThat(s.id()).isEqualTo("golden-path");
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.policy().defaultPolicy()).isEqualTo("highest-version");
        assertThat(s.policy().siteOrder()).containsExactly("us-east", "eu-west");
        assertThat(s.steps()).hasSize(7);
        assertThat(s.steps().get(0)).isEqualTo(new Write(9, "us-east", "user42", Step.Op.UPSERT,
                java.util.Map.of("status", "online"), 5));
        assertThat(s.steps().get(1)).isEqualTo(new Await(10, Step.Condition.REPLICATED));
        assertThat(s.steps().get(2)).isEqualTo(new Isolate(11, "us-east", "eu-west", false, Step.CutStyle.REFUSE));
        assertThat(s.expect().within()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.expect().status().get("eu-west")).isEqualTo(new Expectations.StatusCounts(2, 2, 0));
        assertThat(s.expect().records().get("user42").version()).contains(7L);
        assertThat(s.expect().noLostWrites()).isTrue();
        assertThat(s.expect().replayIdentical()).isTrue();
    }

    @Test
    void everyScenarioInTheLibraryIsValid() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".yaml")).map(ScenarioParser::parse))
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.steps()).isNotEmpty());
        }
    }

    @Test
    void shouldReadEveryStepKindAndItsOptions() {
        Scenario s = ScenarioParser.parse("all.yaml", HEADER + """
                policy: {default: manual, prefixes: {"auth-": authoritative-site}, authority: [eu-west, us-east]}
                steps:
                  - isolate: [eu-west, us-east]
                    one-way: true
                    style: blackhole
                  - isolate: {pair: [us-east, eu-west], style: refuse}
                  - flap: {pair: [us-east, eu-west], times: 5, period: 3s}
                  - latency: {pair: [us-east, eu-west], latency: 80ms, jitter: 20ms}
                  - bandwidth: {pair: [us-east, eu-west], rate: 64}
                  - wait: 1500ms
                  - kill: {component: reconciler, site: us-east}
                  - restart: {component: reconciler, site: us-east}
                  - lose-audit: {site: eu-west, from: 2, to: 4}
                  - generate: {count: 100, keys: 10, hot-keys: 0.1, hot-weight: 0.5, conflict-rate: 0.3}
                  - write: {site: eu-west, key: k, op: delete}
                  - write: {site: eu-west, key: k, op: patch, fields: {n: 3, x: 1.5, ok: true, gone: null}}
                  - heal: {pair: [us-east, eu-west]}
                  - await: drained
                expect: {within: 2m}
                """);
        assertThat(s.policy().defaultPolicy()).isEqualTo("manual");
        assertThat(s.policy().prefixes()).containsEntry("auth-", "authoritative-site");
        assertThat(s.policy().authority()).containsExactly("eu-west", "us-east");
        assertThat(s.steps()).extracting(Step::kind).containsExactly("isolate", "isolate", "flap", "latency",
                "bandwidth", "wait", "kill", "restart", "lose-audit", "generate", "write", "write", "heal", "await");
        assertThat(s.steps().get(0)).isEqualTo(new Isolate(5, "eu-west", "us-east", true, Step.CutStyle.BLACKHOLE));
        assertThat(s.steps().get(3)).isEqualTo(new Latency(10, "us-east", "eu-west", Duration.ofMillis(80), Duration.ofMillis(20)));
        assertThat(s.steps().get(6)).isEqualTo(new Kill(13, Step.Component.RECONCILER, "us-east"));
        Write patch = (Write) s.steps().get(11);
        assertThat(patch.fields()).containsEntry("n", 3L).containsEntry("x", 1.5).containsEntry("ok", true).containsEntry("gone", null);
        Generate gen = (Generate) s.steps().get(9);
        assertThat(gen.sites()).containsExactly("us-east", "eu-west");
        assertThat(s.expect().within()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.expect().replayIdentical()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown site in a step      | steps: [{isolate: [us-east, us-wst]}]                 | t.yaml:3: steps[0].isolate[1]: site 'us-wst' is not one of the scenario's sites [us-east, eu-west]",
            "same site twice in a pair   | steps: [{heal: [us-east, us-east]}]                   | t.yaml:3: steps[0].heal: a pair needs two different sites, got 'us-east' twice",
            "unknown step kind           | steps: [{explode: us-east}]                           | t.yaml:3: steps[0]: a step needs one of",
            "two kinds in one step       | steps: [{wait: 1s, heal: [us-east, eu-west]}]         | t.yaml:3: steps[0]: a step has exactly one kind",
            "unknown option              | steps: [{write: {site: us-east, key: k, feilds: {a: 1}}}] | t.yaml:3: steps[0].write.feilds: unknown key",
            "bad duration                | steps: [{wait: soon}]                                 | t.yaml:3: steps[0].wait: 'soon' is not a duration",
            "bad component               | steps: [{kill: {component: kernel, site: us-east}}]   | t.yaml:3: steps[0].kill.component: 'kernel' is not one of [broker, mirror, reconciler, writer, audit, registry]",
            "a site for the registry     | steps: [{kill: {component: registry, site: us-east}}] | t.yaml:3: steps[0].kill.site: the registry is shared by every site: name no site",
            "no site for a writer        | steps: [{restart: {component: writer}}]               | t.yaml:3: steps[0].restart",
            "upsert without fields       | steps: [{write: {site: us-east, key: k}}]             | t.yaml:3: steps[0].write: a upsert needs 'fields'",
            "repeat out of range         | steps: [{write: {site: us-east, key: k, fields: {a: 1}, repeat: 0}}] | t.yaml:3: steps[0].write.repeat: 0 is out of range",
            "unknown await condition     | steps: [{await: happy}]                               | t.yaml:3: steps[0].await: 'happy' is not one of [replicated, drained, converged]",
            "lose-audit backwards        | steps: [{lose-audit: {site: us-east, from: 5, to: 2}}] | t.yaml:3: steps[0].lose-audit.to: 'to' (2) is before 'from' (5)",
            "no steps                    | steps: []                                             | t.yaml:3: steps: a scenario needs at least one step",
    })
    void shouldRejectBadStepsNamingFileLineAndField(String what, String steps, String expected) {
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", HEADER + steps + "\nexpect: {}\n"))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(expected.strip())
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldRejectBadTopLevelsAndExpectations() {
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", "scenario: t\nsites: [a]\nsteps: [{wait: 1s}]\n"))
                .hasMessage("t.yaml:1: missing required key 'expect'");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", HEADER + "steps: [{wait: 1s}]\nexpect: {}\nseeed: 4\n"))
                .hasMessageStartingWith("t.yaml:5: seeed: unknown key");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", HEADER + "policy: newest\nsteps: [{wait: 1s}]\nexpect: {}\n"))
                .hasMessageStartingWith("t.yaml:3: policy: unknown policy 'newest'");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", HEADER + "steps: [{wait: 1s}]\nexpect: {status: {mars: {conflicts: 1, merged: 1, pending: 0}}}\n"))
                .hasMessageContaining("expect.status.mars: site 'mars' is not one of");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", HEADER + "steps: [{wait: 1s}]\nexpect: {records: {k: {conflict: maybe}}}\n"))
                .hasMessageContaining("expect.records.k.conflict: 'maybe' is not none, resolved or pending");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", "scenario: t\n  sites: [a\n"))
                .hasMessageStartingWith("t.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", ""))
                .hasMessage("t.yaml: the manifest is empty");
        assertThatThrownBy(() -> ScenarioParser.parse(Path.of("scenarios/nope.yaml")))
                .hasMessageStartingWith("scenarios/nope.yaml: cannot read");
    }
}
