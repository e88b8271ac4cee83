package io.netsplit.drills.check;

import io.netsplit.drills.scenario.Expectations;
import io.netsplit.drills.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which checkers a scenario's expectations choose, in which order, and what each reads from the context. */
class ChosenCheckersTest {

    static final Map<String, Expectations.StatusCounts> STATUS = Map.of("us-east", new Expectations.StatusCounts(1, 1, 0));
    static final Map<String, Expectations.RecordExpectation> RECORDS = Map.of("user42", new Expectations.RecordExpectation(
            Optional.of(Map.of("status", "online")), Optional.empty(), Optional.empty(), Optional.empty()));

    static Expectations expect(Map<String, Expectations.StatusCounts> status, Map<String, Expectations.RecordExpectation> records,
                               boolean noLostWrites, boolean replayIdentical, boolean auditComplete) {
        return new Expectations(Duration.ofSeconds(30), status, records, noLostWrites, replayIdentical, auditComplete);
    }

    static List<String> names(Expectations x) {
        return Checkers.chosenFor(x).stream().map(Checker::name).toList();
    }

    @Test
    void convergenceAlwaysRunsAndEachExpectationAddsItsChecker() {
        assertThat(names(expect(Map.of(), Map.of(), false, false, false))).containsExactly("convergence");
        // no-lost-writes is on unless a manifest turns it off
        assertThat(names(expect(Map.of(), Map.of(), true, false, false))).containsExactly("convergence", "no-lost-writes");
        assertThat(names(expect(STATUS, Map.of(), false, false, false))).containsExactly("convergence", "status");
        assertThat(names(expect(Map.of(), RECORDS, false, false, false))).containsExactly("convergence", "golden-records");
        assertThat(names(expect(Map.of(), Map.of(), false, true, false))).containsExactly("convergence", "replay-identical");
        assertThat(names(expect(Map.of(), Map.of(), false, false, true))).containsExactly("convergence", "audit-complete");
    }

    @Test
    void allOfThemRunInTheOrderTheReportShows() {
        assertThat(Checkers.chosenFor(expect(STATUS, RECORDS, true, true, true))).containsExactly(Checkers.CONVERGENCE,
                Checkers.GOLDEN_RECORDS, Checkers.STATUS, Checkers.NO_LOST_WRITES, Checkers.REPLAY_IDENTICAL,
                Checkers.AUDIT_COMPLETE);
    }

    @Test
    void theLibrarysManifestsChooseWhatTheyExpect() {
        assertThat(names(ScenarioParser.parse(Path.of("scenarios", "golden-path.yaml")).expect()))
                .containsExactly("convergence", "golden-records", "status", "no-lost-writes", "replay-identical",
                        "audit-complete");
        assertThat(names(ScenarioParser.parse(Path.of("scenarios", "partial-audit-loss.yaml")).expect()))
                .containsExactly("convergence", "no-lost-writes", "audit-complete");
    }

    @Test
    void eachCheckerReadsTheContextAndNamesItsVerdictAfterItself() {
        // Given one site holding the golden record, with a repaired audit store
        SiteSnapshot.Record online = new SiteSnapshot.Record("user42", Map.of("status", "online"), false,
                Map.of("us-east", 1L), 1, "us-east:1", "NONE");
        SiteSnapshot east = new SiteSnapshot("us-east", "abc", Map.of("us-east", 1L), 1, 1, 0, Map.of("user42", online),
                Set.of(), 2, List.of(), List.of("d-1"));
        AckedWrite w = new AckedWrite("us-east", "user42", "UPSERT", "us-east", 1, 1, Map.of("us-east", 1L), 0);
        List<String> replayed = new ArrayList<>();
        CheckContext ctx = new CheckContext(expect(STATUS, RECORDS, true, true, true), List.of(w), List.of(east), Map.of(),
                List.of(), List.of("us-east: 1 record restored"), site -> {
                    replayed.add(site);
                    return new Replayer.Replay("abc", List.of("d-1"));
                });

        // When every chosen checker runs
        List<Verdict> verdicts = Checkers.chosenFor(ctx.expect()).stream().map(c -> c.check(ctx)).toList();

        // Then each passes under its own name, the first site was replayed once, and the repair is evidence
        assertThat(verdicts).extracting(Verdict::checker).containsExactlyElementsOf(names(ctx.expect()));
        assertThat(verdicts).allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
        assertThat(replayed).containsExactly("us-east");
        assertThat(verdicts.get(5).evidence()).containsExactly("us-east: 2 audit records, no gaps",
                "repair us-east: 1 record restored");
    }

    @Test
    void aScenarioThatAsksForNoReplayNeverReplays() {
        CheckContext ctx = new CheckContext(expect(Map.of(), Map.of(), true, false, false), List.of(),
                List.of(new SiteSnapshot("us-east", "abc", Map.of(), 0, 0, 0, Map.of(), Set.of(), 0, List.of(), List.of())),
                Map.of(), List.of(), List.of(), site -> {
                    throw new AssertionError("replayed " + site);
                });

        assertThat(Checkers.chosenFor(ctx.expect())).allSatisfy(c -> assertThat(c.check(ctx).passed()).isTrue());
        // and the replay checker itself is what asks for one
        assertThatThrownBy(() -> Checkers.REPLAY_IDENTICAL.check(ctx)).hasMessage("replayed us-east");
    }
}
