package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import io.netsplit.reconcile.merge.CausalHistories.History;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * docs/architecture.md §4's laws as properties over generated multi-site causal histories (see {@link
 * CausalHistories}), each under every built-in policy. {@value #TRIES} tries per property; each try
 * is a fresh history of up to 45 steps over 2–5 sites plus fresh orders, batchings and duplications.
 */
class MergeLawsTest {

    static final int TRIES = 1000;

    @Provide
    Arbitrary<History> histories() {
        return CausalHistories.histories();
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of(MergePolicy.ids());
    }

    /** The reconciler's config: a site order different from the list order, to vary tie-breaks. */
    static Supplier<MergeConfig> config(String policy) {
        SiteOrder order = SiteOrder.of("eu-west", "us-east", "sa-east", "ap-south", "af-north");
        SiteOrder ranking = SiteOrder.of("ap-south", "eu-west", "us-east");
        return () -> MergeConfig.of(order, MergePolicy.byId(policy, ranking));
    }

    @Property(tries = TRIES)
    void anyPermutationGivesTheSameStateAndDigest(@ForAll("histories") History history, @ForAll("policies") String policy,
                                                  @ForAll Random random) {
        assertHolds(MergeLaws.permutationInvariance(history, config(policy), random), history);
    }

    @Property(tries = TRIES)
    void duplicatedDeliveriesChangeNothing(@ForAll("histories") History history, @ForAll("policies") String policy,
                                           @ForAll Random random) {
        assertHolds(MergeLaws.duplicateInvariance(history, config(policy), random), history);
    }

    @Property(tries = TRIES)
    void replicasWithDifferentOrdersBatchesAndRestartsConverge(@ForAll("histories") History history,
                                                               @ForAll("policies") String policy, @ForAll Random random) {
        assertHolds(MergeLaws.replicasConverge(history, config(policy), random, 4), history);
    }

    @Property(tries = TRIES)
    void frontierOnlyGrowsAndDominatedEventsChangeNothing(@ForAll("histories") History history,
                                                          @ForAll("policies") String policy, @ForAll Random random) {
        assertHolds(MergeLaws.frontierMonotone(history, config(policy), random), history);
    }

    @Property(tries = TRIES)
    void everyEventIsWinnerDominatedOrNamedLoser(@ForAll("histories") History history, @ForAll("policies") String policy,
                                                 @ForAll Random random) {
        assertHolds(MergeLaws.everyEventAccountedFor(history, config(policy), random), history);
    }

    @Property(tries = TRIES)
    void maxHlcIsTheHighestReadingOfEveryReceivedEvent(@ForAll("histories") History history,
                                                       @ForAll("policies") String policy, @ForAll Random random) {
        assertHolds(MergeLaws.maxHlcCoversEveryReceivedEvent(history, config(policy), random), history);
    }

    /**
     * The laws only mean something if the histories contain the hard cases: this fails if the
     * generator stops producing conflicts, three-way frontiers, deletes racing updates, stale
     * (out-of-causal-order) arrivals or field-merge contests often enough.
     */
    @Property(tries = TRIES)
    void generatedHistoriesExerciseTheHardCases(@ForAll("histories") History history) {
        MergeTable table = new MergeTable(config("field-merge").get());
        table.applyAll(history.events());
        List<Decision> ds = table.log().decisions();
        assertThat(ds).noneMatch(d -> d.kind() == DecisionKind.REJECTED);
        Statistics.label("conflict").collect(ds.stream().anyMatch(d -> d.kind().isConflict()));
        Statistics.label("3+ concurrent").collect(ds.stream().anyMatch(d -> d.kind().isConflict() && d.candidates().size() >= 3));
        Statistics.label("delete vs update").collect(ds.stream().anyMatch(d -> d.kind() == DecisionKind.DELETE_VS_UPDATE));
        Statistics.label("contested field").collect(ds.stream().anyMatch(d -> !d.contestedFields().isEmpty()));
        Statistics.label("sites").collect(history.sites().size());

        // STALE needs a non-causal arrival order: replay the history shuffled
        List<Change> shuffled = new ArrayList<>(history.events());
        Collections.shuffle(shuffled, new Random(history.events().size()));
        MergeTable replay = new MergeTable(config("highest-version").get());
        replay.applyAll(shuffled);
        Statistics.label("stale arrival").collect(replay.log().stale() > 0);

        Statistics.label("conflict").coverage(c -> c.check(true).percentage(p -> p >= 35));
        Statistics.label("3+ concurrent").coverage(c -> c.check(true).percentage(p -> p >= 10));
        Statistics.label("delete vs update").coverage(c -> c.check(true).percentage(p -> p >= 20));
        Statistics.label("contested field").coverage(c -> c.check(true).percentage(p -> p >= 20));
        Statistics.label("stale arrival").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("sites").coverage(c -> {
            for (int n = 2; n <= 5; n++) {
                c.check(n).percentage(p -> p >= 8);
            }
        });
    }

    private static void assertHolds(Optional<String> counterexample, History history) {
        assertThat(counterexample).as("%s", history).isEmpty();
    }
}
