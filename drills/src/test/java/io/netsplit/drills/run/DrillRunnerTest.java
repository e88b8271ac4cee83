package io.netsplit.drills.run;

import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.Timeline;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.ScenarioParser;
import io.netsplit.drills.step.Generate;
import io.netsplit.drills.step.Heal;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner against an in-memory target on a fake clock: what it measures convergence from, and
 * what the seeded load writes and in which order. The clock only moves when the runner pauses
 * (between polls, in wait steps), so every figure here is exact and nothing sleeps.
 */
class DrillRunnerTest {

    private static final Pattern AWAITED = Pattern.compile("await +converged after (\\d+\\.\\d) s");
    private static final Pattern HEADLINE = Pattern.compile("result +converged (\\d+\\.\\d) s after the last link change \\((.+)\\)");

    /** One run: the report and the transcript. */
    record Run(DrillReport report, String transcript) {
        Timeline.Event event(String label) {
            return report.events().stream().filter(e -> e.label().equals(label)).findFirst()
                    .orElseThrow(() -> new AssertionError("no event '" + label + "' in " + report.events()));
        }

        double printed(Pattern p) {
            Matcher m = p.matcher(transcript);
            assertThat(m.find()).as(transcript).isTrue();
            return Double.parseDouble(m.group(1));
        }
    }

    /** A two-site manifest around {@code steps}, as text (for parsers with other step kinds). */
    static String manifest(String steps) {
        return """
                scenario: t
                sites: [us-east, eu-west]
                seed: 7
                steps:
                """ + steps.stripIndent() + """
                expect:
                  within: 10s
                  no-lost-writes: false
                """;
    }

    static Scenario scenario(String steps) {
        return ScenarioParser.parse("t.yaml", manifest(steps));
    }

    static Run run(FakeTarget target, Scenario s) {
        AtomicLong clock = new AtomicLong();
        StringWriter text = new StringWriter();
        DrillRunner runner = new DrillRunner(target, new PrintWriter(text), new Timeline(clock::get), clock::addAndGet);
        DrillReport report = runner.run(s, 25_000);
        return new Run(report, text.toString());
    }

    static int line(Scenario s, int step) {
        return s.steps().get(step).line();
    }

    @Test
    void measuresFromTheScenariosHealWhenTheFinalHealChangesNothing() {
        // Given a heal step, a pause, and an await that sees convergence only on its fourth poll
        Scenario s = scenario("""
                  - isolate: [us-east, eu-west]
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - heal: [us-east, eu-west]
                  - wait: 1s
                  - await: converged
                """);
        FakeTarget target = new FakeTarget(s.sites(), 4);

        // When the drill runs: its own final heal finds every link clear
        Run r = run(target, s);

        // Then the figure runs from the scenario's heal to the await's convergence
        assertThat(target.calls).contains("healAll unchanged");
        String heal = "heal us-east <-> eu-west (line " + line(s, 2) + ")";
        long expected = r.event("converged (await, line " + line(s, 4) + ")").atMillis() - r.event(heal).atMillis();
        assertThat(r.report().convergedAfterHealMillis()).isEqualTo(expected).isGreaterThan(1_000);
        assertThat(r.report().lastLinkChange()).isEqualTo(new DrillReport.AfterLinkChange(r.event(heal).atMillis(), heal, expected));
        assertThat(r.report().events()).noneMatch(e -> e.label().startsWith("heal every link"));
        // and the transcript prints that figure, at least the await's own, naming the heal
        assertThat(r.printed(HEADLINE)).isGreaterThanOrEqualTo(r.printed(AWAITED));
        assertThat(r.transcript()).contains(String.format(Locale.ROOT,
                "converged %.1f s after the last link change (heal us-east ↔ eu-west, line %d)", expected / 1000.0, line(s, 2)));
    }

    @Test
    void withoutAnAwaitTheSettlePhaseStillMeasuresFromTheScenariosHeal() {
        // Given a heal and a pause, and sites that converge on the third poll of the settle phase
        Scenario s = scenario("""
                  - isolate: [us-east, eu-west]
                  - write: {site: eu-west, key: k, fields: {v: 1}}
                  - heal: [us-east, eu-west]
                  - wait: 2s
                """);
        FakeTarget target = new FakeTarget(s.sites(), 3);

        Run r = run(target, s);

        // Then the figure includes the pause: it is not the settle phase's own duration
        long healAt = r.event("heal us-east <-> eu-west (line " + line(s, 2) + ")").atMillis();
        long settledAt = r.event("converged (settle)").atMillis();
        assertThat(r.report().convergedAfterHealMillis()).isEqualTo(settledAt - healAt).isGreaterThan(2_000);
        assertThat(r.report().phaseMillis().get("4-settle")).isLessThan(r.report().convergedAfterHealMillis());
    }

    @Test
    void aLinkTheScenarioLeftCutIsMeasuredFromTheFinalHeal() {
        Scenario s = scenario("""
                  - isolate: [us-east, eu-west]
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - wait: 1s
                """);
        FakeTarget target = new FakeTarget(s.sites(), 3);

        Run r = run(target, s);

        assertThat(target.calls).contains("healAll changed");
        long healAt = r.event("heal every link (final)").atMillis();
        long expected = r.event("converged (settle)").atMillis() - healAt;
        assertThat(r.report().convergedAfterHealMillis()).isEqualTo(expected).isPositive();
        assertThat(r.report().lastLinkChange().label()).isEqualTo("heal every link (final)");
        assertThat(r.report().heals()).containsExactly(new DrillReport.AfterLinkChange(healAt, "heal every link (final)", expected));
        assertThat(r.transcript()).contains("every link healed (some were still cut or degraded)",
                String.format(Locale.ROOT, "converged %.1f s after the last link change (the final heal of every link)", expected / 1000.0));
    }

    @Test
    void aLatencyStepAfterTheHealIsTheLastLinkChange() {
        // the final heal removes the latency, so that is the change the figure runs from
        Scenario s = scenario("""
                  - isolate: [us-east, eu-west]
                  - heal: [us-east, eu-west]
                  - await: converged
                  - latency: {pair: [us-east, eu-west], latency: 80ms}
                """);
        Run r = run(new FakeTarget(s.sites(), 2), s);

        assertThat(r.report().lastLinkChange().label()).isEqualTo("heal every link (final)");
        assertThat(r.report().heals()).extracting(DrillReport.AfterLinkChange::label)
                .containsExactly("heal us-east <-> eu-west (line " + line(s, 1) + ")", "heal every link (final)");
    }

    @Test
    void everyHealRecordsWhenTheSitesWereNextSeenConverged() {
        Scenario s = scenario("""
                  - isolate: [us-east, eu-west]
                  - heal: [us-east, eu-west]
                  - await: converged
                  - flap: {pair: [us-east, eu-west], times: 2, period: 400ms}
                  - wait: 1s
                """);
        Run r = run(new FakeTarget(s.sites(), 3), s);

        long awaited = r.event("converged (await, line " + line(s, 2) + ")").atMillis();
        long settled = r.event("converged (settle)").atMillis();
        String flap = "flap us-east <-> eu-west: heal %d/2 (line " + line(s, 3) + ")";
        long heal = r.event("heal us-east <-> eu-west (line " + line(s, 1) + ")").atMillis();
        long flap1 = r.event(flap.formatted(1)).atMillis();
        long flap2 = r.event(flap.formatted(2)).atMillis();
        assertThat(r.report().heals()).containsExactly(
                new DrillReport.AfterLinkChange(heal, "heal us-east <-> eu-west (line " + line(s, 1) + ")", awaited - heal),
                new DrillReport.AfterLinkChange(flap1, flap.formatted(1), settled - flap1),
                new DrillReport.AfterLinkChange(flap2, flap.formatted(2), settled - flap2));
        assertThat(r.report().convergedAfterHealMillis()).isEqualTo(settled - flap2);
        assertThat(r.transcript()).contains("(flap us-east ↔ eu-west: heal 2/2, line " + line(s, 3) + ")");
    }

    @Test
    void theGoldenPathIsMeasuredFromItsHealStep() {
        Scenario s = ScenarioParser.parse(java.nio.file.Path.of("scenarios", "golden-path.yaml"));
        Heal heal = s.steps().stream().filter(Heal.class::isInstance).map(Heal.class::cast).findFirst().orElseThrow();

        Run r = run(new FakeTarget(s.sites(), 5), s);
        // kept for a look in a browser: target/report-samples/golden-path/report.html
        io.netsplit.drills.report.ReportWriter.write(r.report(), java.nio.file.Path.of("target", "report-samples", "golden-path"));

        assertThat(r.report().lastLinkChange().label()).isEqualTo("heal us-east <-> eu-west (line " + heal.line() + ")");
        assertThat(r.printed(HEADLINE)).isGreaterThanOrEqualTo(r.printed(AWAITED)).isPositive();
        assertThat(r.transcript()).contains("every link was already clear: nothing to heal",
                "after the last link change (heal us-east ↔ eu-west, line " + heal.line() + ")");
    }

    @Test
    void aDrillWithoutLinkChangesSaysSoInsteadOfAFigure() {
        Scenario s = scenario("""
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - await: converged
                """);
        Run r = run(new FakeTarget(s.sites(), 1), s);

        assertThat(r.report().convergedAfterHealMillis()).isNull();
        assertThat(r.report().lastLinkChange()).isNull();
        assertThat(r.transcript()).contains("nothing to heal", "converged; no step cut, degraded or healed a link")
                .doesNotContain("after the last link change");
    }

    @Test
    void theChecksAreTheStepFailuresThenTheCheckersTheExpectationsChoose() {
        Scenario s = ScenarioParser.parse("t.yaml", """
                scenario: t
                sites: [us-east, eu-west]
                steps:
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - await: replicated
                expect:
                  within: 10s
                  status: {us-east: {conflicts: 0, merged: 0, pending: 0}}
                  no-lost-writes: false
                  replay-identical: true
                  audit-complete: true
                """);

        Run r = run(new FakeTarget(s.sites(), 1).writerUnreachable("eu-west"), s);

        assertThat(r.report().verdicts()).extracting(Verdict::checker).containsExactly("await replicated (line 5)",
                "settle", "convergence", "status", "replay-identical", "audit-complete");
        assertThat(r.transcript()).containsSubsequence("check    convergence: pass", "check    status: pass",
                "check    replay-identical: pass", "check    audit-complete: pass", "result   FAILED (4/6 checks)");
    }

    // --- the seeded load ---

    private static final String LOAD = """
              - isolate: [us-east, eu-west]
              - generate: {count: 300, keys: 20, key-prefix: g-, hot-keys: 0.2, hot-weight: 0.5, conflict-rate: 0.3}
              - heal: [us-east, eu-west]
            """;

    /** The draw the README documents: per write the key (hot with hot-weight), the site, then maybe a partner. */
    static List<FakeTarget.Issued> drawnAsDocumented(long seed, Generate g) {
        Random random = new Random(seed * 31 + g.line());
        int hot = (int) Math.ceil(g.keys() * g.hotKeys());
        List<FakeTarget.Issued> out = new ArrayList<>();
        for (long n = 0; n < g.count(); n++) {
            int k = hot > 0 && random.nextDouble() < g.hotWeight() ? random.nextInt(hot) : random.nextInt(g.keys());
            String site = g.sites().get(random.nextInt(g.sites().size()));
            out.add(new FakeTarget.Issued(site, g.keyPrefix() + k, Map.of("n", n, "by", site)));
            if (g.conflictRate() > 0 && random.nextDouble() < g.conflictRate()) {
                List<String> others = new ArrayList<>(g.sites());
                others.remove(site);
                String other = others.get(random.nextInt(others.size()));
                out.add(new FakeTarget.Issued(other, g.keyPrefix() + k, Map.of("n", n, "by", other)));
            }
        }
        return out;
    }

    static List<FakeTarget.Issued> toKey(List<FakeTarget.Issued> writes, String key) {
        return writes.stream().filter(w -> w.key().equals(key)).toList();
    }

    static List<FakeTarget.Issued> sorted(List<FakeTarget.Issued> writes) {
        return writes.stream().sorted(Comparator.comparing(FakeTarget.Issued::toString)).toList();
    }

    @Test
    void generateWritesTheSeededSequenceWithSeveralInFlightAndEachKeyInDrawOrder() {
        Scenario s = scenario(LOAD);
        Generate g = (Generate) s.steps().get(1);
        List<FakeTarget.Issued> drawn = drawnAsDocumented(s.seed(), g);
        long pairs = drawn.size() - g.count();

        // When the load runs twice, each time with the first writes held until four are in flight
        FakeTarget first = new FakeTarget(s.sites(), 1).holdFirstWritesUntilInFlight(4);
        Run r = run(first, s);
        FakeTarget second = new FakeTarget(s.sites(), 1).holdFirstWritesUntilInFlight(4);
        run(second, s);

        // Then both runs wrote the same writes, those the documented draw gives
        assertThat(sorted(first.issued)).isEqualTo(sorted(second.issued)).isEqualTo(sorted(drawn));
        // each key's writes went in draw order, one at a time
        for (int k = 0; k < g.keys(); k++) {
            assertThat(toKey(first.issued, "g-" + k)).as("writes to g-" + k).isEqualTo(toKey(drawn, "g-" + k));
        }
        assertThat(first.keyOverlapped).isFalse();
        // several keys were written at once, never more than the bound
        assertThat(first.maxInFlight.get()).isBetween(4, Generate.IN_FLIGHT);
        assertThat(r.report().acknowledgedWrites()).isEqualTo(drawn.size());
        assertThat(r.transcript()).contains("generated " + drawn.size() + " acknowledged writes over 20 keys ("
                + pairs + " concurrent pairs attempted)");
    }

    @Test
    void refusedWritesAreCountedOnceEachUnderConcurrency() {
        Scenario s = scenario(LOAD);
        Generate g = (Generate) s.steps().get(1);
        List<FakeTarget.Issued> drawn = drawnAsDocumented(s.seed(), g);
        java.util.function.Predicate<FakeTarget.Issued> refuse = w -> (Long) w.fields().get("n") % 9 == 4;
        long refused = drawn.stream().filter(refuse).count();

        Run r = run(new FakeTarget(s.sites(), 1).refusing(refuse).holdFirstWritesUntilInFlight(4), s);

        assertThat(refused).isPositive();
        assertThat(r.report().failedWrites()).isEqualTo(refused);
        assertThat(r.report().acknowledgedWrites()).isEqualTo(drawn.size() - refused);
        assertThat(r.report().events().stream().filter(e -> e.kind().equals("write"))).hasSize(drawn.size() - (int) refused);
        assertThat(r.transcript()).contains("generated " + (drawn.size() - refused) + " acknowledged writes over 20 keys ("
                + (drawn.size() - g.count()) + " concurrent pairs attempted, " + refused + " refused)");
    }

    @Test
    void aBackgroundLoadIsWaitedForBeforeTheNextAwait() {
        Scenario s = scenario("""
                  - generate: {count: 120, keys: 10, key-prefix: b-, sites: [us-east, eu-west], background: true}
                  - wait: 1s
                  - await: converged
                """);
        Run r = run(new FakeTarget(s.sites(), 1), s);

        assertThat(r.report().acknowledgedWrites()).isEqualTo(120);
        List<Timeline.Event> events = r.report().events();
        int lastWrite = -1;
        for (int i = 0; i < events.size(); i++) {
            lastWrite = events.get(i).kind().equals("write") ? i : lastWrite;
        }
        assertThat(events.indexOf(r.event("converged (await, line " + line(s, 2) + ")"))).isGreaterThan(lastWrite);
        assertThat(r.transcript()).contains("background load of 120 writes started", "generated 120 acknowledged writes");
    }

    @Test
    void anAwaitWaitsUntilEveryWriterHasSeenTheAcknowledgedWrites() {
        // Given reconcilers whose frontiers cover a write at once, and writers whose views take three more polls
        Scenario s = scenario("""
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - await: replicated
                  - write: {site: eu-west, key: k, fields: {v: 2}}
                  - await: converged
                """);
        FakeTarget target = new FakeTarget(s.sites(), 1).writerViewsLagBy(3);

        Run r = run(target, s);

        // Then eu-west's write was minted on a view that holds us-east's: it follows it, it does not conflict
        assertThat(target.acked).hasSize(2);
        assertThat(target.acked.get(1).vector()).isEqualTo(Map.of("us-east", 1L, "eu-west", 1L));
        assertThat(r.report().passed()).as(r.transcript()).isTrue();
        // and the await took the polls the writers needed
        assertThat(r.transcript()).contains("await    replicated after 0.1 s");
    }

    @Test
    void aWriterAStepKilledIsNotWaitedForButOneThatCannotBeReachedIs() {
        // Given a drill that kills eu-west's writer before it writes at us-east and awaits replication
        Scenario s = scenario("""
                  - kill: {component: writer, site: eu-west}
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - await: replicated
                """);

        // Then the killed writer has no view to wait for
        Run killed = run(new FakeTarget(s.sites(), 1), s);
        assertThat(killed.report().passed()).as(killed.transcript()).isTrue();

        // But a writer that is down with no step having killed it holds the await, and the reason names it
        Scenario unkilled = scenario("""
                  - write: {site: us-east, key: k, fields: {v: 1}}
                  - await: replicated
                """);
        Run down = run(new FakeTarget(s.sites(), 1).writerUnreachable("eu-west"), unkilled);
        assertThat(down.report().passed()).isFalse();
        assertThat(down.transcript()).contains("replicated NOT reached within 10 s: writer@eu-west unreachable: connection refused");
    }

    @Test
    void aDotAcknowledgedAgainAfterAWriterRestartIsALostWrite() {
        Scenario s = ScenarioParser.parse("t.yaml", """
                scenario: t
                sites: [us-east, eu-west]
                steps:
                  - write: {site: us-east, key: k, fields: {n: 1}, repeat: 3}
                  - kill: {component: registry}
                  - kill: {component: writer, site: us-east}
                  - restart: {component: registry}
                  - restart: {component: writer, site: us-east}
                  - write: {site: us-east, key: k, fields: {n: after}}
                expect:
                  within: 10s
                """);

        Run forgetful = run(new FakeTarget(s.sites(), 1).writerForgetsItsCounterOnRestart(), s);
        Run sound = run(new FakeTarget(s.sites(), 1), s);

        // the fake's snapshots hold no records, so no-lost-writes fails in both runs; only the forgetful one reuses a dot
        assertThat(forgetful.report().verdicts()).filteredOn(v -> v.checker().equals("no-lost-writes")).singleElement()
                .satisfies(v -> assertThat(v.evidence()).contains(
                        "lost everywhere: us-east:1 (k) acknowledged after us-east:3 was: a dot minted again"));
        assertThat(sound.report().verdicts()).filteredOn(v -> v.checker().equals("no-lost-writes")).singleElement()
                .satisfies(v -> assertThat(v.evidence()).noneMatch(e -> e.startsWith("lost everywhere")));
        assertThat(forgetful.transcript()).contains("killed registry (SIGKILL)", "registry ready in", "killed writer@us-east (SIGKILL)");
    }
}
