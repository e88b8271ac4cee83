package io.netsplit.drills.run;

import io.netsplit.drills.scenario.ManifestException;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.ScenarioParser;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepKind;
import io.netsplit.drills.step.StepKinds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A step kind is one record and one registration: a kind defined here, in a test, is parsed by
 * {@link ScenarioParser} and run by {@link DrillRunner} as they are, in step order among the
 * built-in kinds.
 */
class AddedStepKindTest {

    /** {@code note: text}: prints a line in the transcript. The whole kind: record, parsing, execution. */
    record Note(int line, String text) implements Step {

        static final StepKind KIND = new StepKind("note", in -> new Note(in.line(), in.body().str()));

        @Override
        public String kind() {
            return KIND.name();
        }

        @Override
        public void execute(StepContext ctx) {
            ctx.say("note", text);
        }
    }

    static final List<StepKind> WITH_NOTE = Stream.concat(StepKinds.ALL.stream(), Stream.of(Note.KIND)).toList();

    @Test
    void aKindRegisteredInATestIsParsedAndRunAmongTheBuiltInOnes() {
        // Given a manifest that notes what it does around a cut, read with the note kind registered
        Scenario s = ScenarioParser.parse("t.yaml", DrillRunnerTest.manifest("""
                  - note: before the cut
                  - isolate: [us-east, eu-west]
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - note: during the cut
                  - heal: [us-east, eu-west]
                """), WITH_NOTE);
        assertThat(s.steps()).extracting(Step::kind).containsExactly("note", "isolate", "write", "note", "heal");
        assertThat(s.steps().get(0)).isEqualTo(new Note(5, "before the cut"));

        // When the drill runs
        DrillRunnerTest.Run r = DrillRunnerTest.run(new FakeTarget(s.sites(), 1), s);

        // Then each note printed its line in step order, and the drill went on through its phases
        assertThat(r.transcript()).containsSubsequence("note     before the cut", "isolate us-east ↔ eu-west",
                "upsert us-east k", "note     during the cut", "heal us-east ↔ eu-west", "result   PASSED");
        assertThat(r.report().passed()).as(r.transcript()).isTrue();
    }

    @Test
    void aKindOnlyExistsWhereItIsRegistered() {
        // Without the registration the note is an unknown kind, and the message lists the built-in ones
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", DrillRunnerTest.manifest("  - note: hi\n")))
                .isInstanceOf(ManifestException.class)
                .hasMessage("t.yaml:5: steps[0]: a step needs one of [await, bandwidth, flap, generate, heal, isolate, "
                        + "kill, latency, lose-audit, restart, wait, write], got [note]");
        // with it, the registered kind is listed, and its own parsing and the common rules apply
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", DrillRunnerTest.manifest("  - explode: x\n"), WITH_NOTE))
                .hasMessageContaining("[await, bandwidth, flap, generate, heal, isolate, kill, latency, lose-audit, "
                        + "note, restart, wait, write]");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", DrillRunnerTest.manifest("  - note: {text: hi}\n"), WITH_NOTE))
                .hasMessage("t.yaml:5: steps[0].note: expected a single value");
        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", DrillRunnerTest.manifest("  - {note: hi, style: refuse}\n"), WITH_NOTE))
                .hasMessage("t.yaml:5: steps[0].style: unknown key next to 'note'");
    }

    @Test
    void twoKindsCannotShareAName() {
        StepKind other = new StepKind("heal", in -> new Note(in.line(), "not a heal"));
        List<StepKind> clash = Stream.concat(StepKinds.ALL.stream(), Stream.of(other)).toList();

        assertThatThrownBy(() -> ScenarioParser.parse("t.yaml", DrillRunnerTest.manifest("  - wait: 1s\n"), clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two step kinds named 'heal'");
    }
}
