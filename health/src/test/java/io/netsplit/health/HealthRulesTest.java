package io.netsplit.health;

import io.netsplit.health.HealthRules.Judgement;
import io.netsplit.health.HealthRules.Memory;
import io.netsplit.health.Observation.DlqView;
import io.netsplit.health.Observation.KeyDifference;
import io.netsplit.health.Observation.LinkObservation;
import io.netsplit.health.Observation.MirrorView;
import io.netsplit.health.Observation.ReconcilerView;
import io.netsplit.health.Observation.SiteObservation;
import io.netsplit.health.Observation.TableView;
import io.netsplit.health.ProbeTracker.ProbeView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRulesTest {

    private static final HealthConfig CONFIG = HealthConfig.of(Map.of(HealthConfig.DIVERGENCE_CONFIRMATIONS, "3"));
    private static final Map<String, Long> FRONTIER = Map.of("us-east", 7L, "eu-west", 6L);

    /** A mutable picture of two sites that starts healthy and drained. */
    private static final class World {
        ProbeView east = up("site us-east");
        ProbeView west = up("site eu-west");
        ProbeView eastToWest = up("link us-east->eu-west");
        ProbeView westToEast = up("link eu-west->us-east");
        ReconcilerView eastR = reconciler("d1", FRONTIER, 0);
        ReconcilerView westR = reconciler("d1", FRONTIER, 0);
        TableView eastT = new TableView(true, "d1", 3, null);
        TableView westT = new TableView(true, "d1", 3, null);
        DlqView eastD = null;
        long mirrorLag = 0;
        boolean mirrorKnown = true;
        List<String> westToEastGaps = List.of();
        List<KeyDifference> differing = List.of();
        long at = 10_000;

        Observation observe() {
            at += 1000;
            MirrorView m = mirrorKnown ? new MirrorView("up", mirrorLag, mirrorLag > 0 ? 100L : 0L, true, List.of()) : null;
            return new Observation(at,
                    List.of(new SiteObservation("us-east", east, eastR, eastT, eastD), new SiteObservation("eu-west", west, westR, westT)),
                    List.of(new LinkObservation("us-east", "eu-west", eastToWest, m), new LinkObservation("eu-west", "us-east", westToEast,
                            m == null ? null : new MirrorView("up", mirrorLag, m.lagMs(), true, westToEastGaps))),
                    differing, differing.size());
        }
    }

    private static ProbeView up(String target) {
        return new ProbeView(target, false, 0, 0, 5, false, 2L, false, 0, null, 10, 0);
    }

    private static ProbeView down(String target, long since) {
        return new ProbeView(target, true, since, 4, 0, false, 2L, false, 1, "Connection refused", 10, since);
    }

    private static ReconcilerView reconciler(String digest, Map<String, Long> frontier, long lag) {
        return new ReconcilerView(true, "RUNNING", lag, digest, 3, frontier, null, List.of());
    }

    /** Runs {@code n} checks, threading the memory through; returns the last judgement. */
    private static Judgement run(World w, Memory[] memory, int n) {
        Judgement j = null;
        for (int i = 0; i < n; i++) {
            j = HealthRules.judge(w.observe(), memory[0], CONFIG);
            memory[0] = j.memory();
        }
        return j;
    }

    @Test
    void shouldReportALinkThatLostRecordsToRetentionAsAGapNamingTheOffsets() {
        World w = new World();
        Memory[] memory = {Memory.INITIAL};
        assertThat(run(w, memory, 1).findings()).isEmpty();
        w.westToEastGaps = List.of("changes-0 offsets 4..20 (17 offsets) deleted by retention before they were mirrored");
        Judgement j = run(w, memory, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(j.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("gap");
            assertThat(f.links()).containsExactly("eu-west->us-east");
            assertThat(f.text()).contains("lost records to retention at eu-west", "changes-0 offsets 4..20 (17 offsets)");
        });
    }

    @Test
    void shouldReportAReconcilerThatLostInputRecordsToRetentionAsAGapNamingTheOffsets() {
        World w = new World();
        Memory[] memory = {Memory.INITIAL};
        assertThat(run(w, memory, 1).findings()).isEmpty();
        w.westR = new ReconcilerView(true, "RUNNING", 0, "d1", 3, FRONTIER, null,
                List.of("us-east.changes-0 offsets 4..20 (17 offsets) deleted by retention before they were reconciled"));
        Judgement j = run(w, memory, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(j.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("gap");
            assertThat(f.sites()).containsExactly("eu-west");
            assertThat(f.links()).isEmpty();
            assertThat(f.text()).contains("reconciler at eu-west lost input records to retention",
                    "us-east.changes-0 offsets 4..20 (17 offsets)");
        });
    }

    @Test
    void shouldBeHealthyWhenEverythingAgrees() {
        Judgement j = run(new World(), new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(j.findings()).isEmpty();
        assertThat(j.pairs()).containsExactly(Map.entry("eu-west|us-east", HealthStatus.HEALTHY));
    }

    @Test
    void shouldCallNewDeadLettersNotRedrivenDegradedNamingTheSiteAndCount() {
        World w = new World();
        Memory[] memory = {Memory.INITIAL};
        // dead letters the checker found at its start (and an unreadable DLQ) change nothing
        w.eastD = new DlqView(2, 0, 2, null);
        assertThat(run(w, memory, 1).status()).isEqualTo(HealthStatus.HEALTHY);
        w.eastD = new DlqView(5, 0, 2, "TimeoutException");
        assertThat(run(w, memory, 1).status()).isEqualTo(HealthStatus.HEALTHY);
        // the topic grew: degraded, naming the site, what is not redriven and what is new
        w.eastD = new DlqView(5, 1, 2, null);
        Judgement j = run(w, memory, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        Finding f = j.findings().get(0);
        assertThat(f.kind()).isEqualTo("dead-letters");
        assertThat(f.sites()).containsExactly("us-east");
        assertThat(f.text()).isEqualTo("site us-east: 4 dead letter(s) not redriven in changes.dlq (3 new since the checker "
                + "started; netsplit dlq list --site us-east)");
        assertThat(j.pairs()).containsEntry("eu-west|us-east", HealthStatus.DEGRADED);
        // every one redriven: healthy again; a redrive dead-lettered again counts anew
        w.eastD = new DlqView(5, 5, 2, null);
        assertThat(run(w, memory, 1).status()).isEqualTo(HealthStatus.HEALTHY);
        w.eastD = new DlqView(6, 5, 2, null);
        assertThat(run(w, memory, 1).findings()).extracting(Finding::text)
                .containsExactly("site us-east: 1 dead letter(s) not redriven in changes.dlq (4 new since the checker started; "
                        + "netsplit dlq list --site us-east)");
    }

    @Test
    void shouldNameBothDirectionsOfATwoWayPartition() {
        World w = new World();
        w.eastToWest = down("link us-east->eu-west", 5000);
        w.westToEast = down("link eu-west->us-east", 5200);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.PARTITIONED);
        Finding f = j.findings().get(0);
        assertThat(f.kind()).isEqualTo("partition");
        assertThat(f.links()).containsExactly("eu-west->us-east", "us-east->eu-west");
        assertThat(f.sinceMs()).isEqualTo(5000);
        assertThat(f.text()).startsWith("eu-west<->us-east partitioned in both directions since 1970-01-01T00:00:05Z");
        assertThat(j.pairs()).containsEntry("eu-west|us-east", HealthStatus.PARTITIONED);
    }

    @Test
    void shouldNameTheDirectionOfAOneWayCut() {
        World w = new World();
        w.eastToWest = down("link us-east->eu-west", 5000);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.PARTITIONED);
        assertThat(j.findings().get(0).text()).contains("us-east->eu-west cut since").contains("one way: eu-west receives nothing from us-east");
    }

    @Test
    void shouldCallADownBrokerAnUnreachableSiteWithoutRepeatingItsLinks() {
        World w = new World();
        w.west = down("site eu-west", 5000);
        w.eastToWest = down("link us-east->eu-west", 5000);
        w.westToEast = down("link eu-west->us-east", 5000);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.PARTITIONED);
        assertThat(j.findings()).extracting(Finding::kind).containsExactly("site-unreachable");
        assertThat(j.findings().get(0).text()).startsWith("site eu-west unreachable since");
    }

    @Test
    void shouldCallASlowLinkDegradedNotPartitioned() {
        World w = new World();
        w.eastToWest = new ProbeView("link us-east->eu-west", false, 0, 0, 5, true, 310L, false, 0, null, 10, 0);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(j.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("slow-link");
            assertThat(f.text()).contains("round trip 310 ms");
        });
    }

    @Test
    void shouldNotLetOneFailedProbeChangeTheStatus() {
        World w = new World();
        w.eastToWest = new ProbeView("link us-east->eu-west", false, 0, 1, 0, false, 2L, false, 0, "timeout", 10, 0);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(j.findings()).extracting(Finding::kind).containsExactly("probe-failed");
    }

    @Test
    void shouldCallAnUnreachableOrRestartingReconcilerDegraded() {
        World w = new World();
        w.westR = ReconcilerView.unreachable("Connection refused");
        assertThat(run(w, new Memory[]{Memory.INITIAL}, 1).status()).isEqualTo(HealthStatus.DEGRADED);
        w.westR = new ReconcilerView(true, "REBALANCING", 0, "d1", 3, FRONTIER, null, List.of());
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(j.findings()).anyMatch(f -> f.text().equals("reconciler at eu-west is REBALANCING"));
    }

    @Test
    void shouldCallDifferencesWithEventsInFlightHealthyConverging() {
        World w = new World();
        w.westT = new TableView(true, "d2", 3, null);
        w.westR = reconciler("d2", Map.of("us-east", 6L, "eu-west", 6L), 0);
        w.mirrorLag = 1;
        Memory[] m = {Memory.INITIAL};
        Judgement j = run(w, m, 10);
        assertThat(j.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(j.findings()).singleElement().satisfies(f -> assertThat(f.text()).startsWith("converging: ")
                .contains("mirror lag 1"));
    }

    @Test
    void shouldCallDivergedOnlyAfterTheSameDrainedDifferenceIsConfirmed() {
        World w = new World();
        w.westT = new TableView(true, "d2", 3, null);
        w.differing = List.of(new KeyDifference("user42", List.of("us-east", "eu-west")));
        Memory[] m = {Memory.INITIAL};
        assertThat(run(w, m, 2).status()).isEqualTo(HealthStatus.HEALTHY);
        Judgement j = run(w, m, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.DIVERGED);
        Finding d = j.findings().get(0);
        // eu-west's topic no longer matches its own reconciler: that names the site
        assertThat(d.sites()).containsExactly("eu-west");
        assertThat(d.text()).contains("1 key(s) differ, user42 .. user42")
                .contains("eu-west's converged topic (3 keys, d2) differs from its reconciler's state (3 keys, d1)");
    }

    @Test
    void shouldRestartTheConfirmationWhenTheDifferenceChanges() {
        World w = new World();
        Memory[] m = {Memory.INITIAL};
        for (int i = 0; i < 6; i++) {
            // a hot key written continuously: each check sees another difference
            w.westT = new TableView(true, "d" + (i + 10), 3, null);
            assertThat(run(w, m, 1).status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void shouldNotJudgeDivergenceWhileAReaderIsBehind() {
        World w = new World();
        w.westT = new TableView(false, "d2", 3, null);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 5);
        assertThat(j.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(j.findings().get(0).text()).contains("converged topic at eu-west not read to its end");
    }

    @Test
    void shouldCallDifferentFrontiersWithDrainedQueuesDiverged() {
        World w = new World();
        w.westR = reconciler("d1", Map.of("us-east", 5L, "eu-west", 6L), 0);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 3);
        assertThat(j.status()).isEqualTo(HealthStatus.DIVERGED);
        assertThat(j.findings().get(0).text()).contains("version frontiers differ");
    }

    @Test
    void shouldNotCallMissingEventsDivergedWithoutTheMirrorsLag() {
        World w = new World();
        w.mirrorKnown = false;
        w.westR = reconciler("d1", Map.of("us-east", 5L, "eu-west", 6L), 0);
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 3);
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(j.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("not-arriving");
            assertThat(f.text()).contains("no mirror lag is known").contains("version frontiers differ");
        });
        // a digest that differs with every event everywhere is divergence all the same
        w.westR = reconciler("d1", FRONTIER, 0);
        w.westT = new TableView(true, "d2", 3, null);
        assertThat(run(w, new Memory[]{Memory.INITIAL}, 3).status()).isEqualTo(HealthStatus.DIVERGED);
    }

    @Test
    void shouldStayDegradedAfterAPartitionUntilEverySiteCaughtUpAndSayHowLongItTook() {
        World w = new World();
        Memory[] m = {Memory.INITIAL};
        w.eastToWest = down("link us-east->eu-west", 5000);
        w.westToEast = down("link eu-west->us-east", 5000);
        w.eastR = reconciler("e", Map.of("us-east", 9L, "eu-west", 6L), 0);
        w.westR = reconciler("w", Map.of("us-east", 7L, "eu-west", 8L), 0);
        assertThat(run(w, m, 2).status()).isEqualTo(HealthStatus.PARTITIONED);

        // healed: links answer, the sites have not exchanged the partition's writes yet
        long answeringSince = w.at - 500;
        w.eastToWest = new ProbeView("link us-east->eu-west", false, 0, 0, 2, false, 2L, false, 2, null, 10, answeringSince - 300);
        w.westToEast = new ProbeView("link eu-west->us-east", false, 0, 0, 2, false, 2L, false, 2, null, 10, answeringSince);
        Judgement j = run(w, m, 1);
        long endedAt = answeringSince;
        assertThat(j.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(j.findings()).anyMatch(f -> f.kind().equals("catching-up")
                && f.text().contains("eu-west lacks 2 events {us-east=2}") && f.text().contains("us-east lacks 2 events {eu-west=2}"));
        // more writes after the heal do not move the goal
        w.eastR = reconciler("e2", Map.of("us-east", 12L, "eu-west", 8L), 0);
        w.westR = reconciler("w2", Map.of("us-east", 9L, "eu-west", 8L), 0);
        w.eastT = new TableView(true, "e2", 3, null);
        w.westT = new TableView(true, "w2", 3, null);
        w.mirrorLag = 3;
        j = run(w, m, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(j.recoveredAfterMs()).isEqualTo(w.at - endedAt);
        assertThat(j.findings()).anyMatch(f -> f.kind().equals("recovered") && f.text().startsWith("caught up 2.5 s after the partition ended (1970-01-01T00:00:11.500Z)"));
    }

    @Test
    void shouldListFindingsForEveryProblemAtOnce() {
        World w = new World();
        w.eastToWest = down("link us-east->eu-west", 5000);
        w.westR = ReconcilerView.unreachable("Connection refused");
        Judgement j = run(w, new Memory[]{Memory.INITIAL}, 1);
        assertThat(j.status()).isEqualTo(HealthStatus.PARTITIONED);
        List<String> kinds = new ArrayList<>(j.findings().stream().map(Finding::kind).toList());
        assertThat(kinds).contains("partition", "reconciler-down");
    }
}
