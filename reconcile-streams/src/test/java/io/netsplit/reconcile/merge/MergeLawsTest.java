package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import io.netsplit.reconcile.merge.CausalHistories.History;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * DESIGN §4's laws as properties over generated multi-site causal histories (see {@link
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
        return Arbitraries.of("highest-version", "authoritative-site", "lww", "field-merge", "manual");
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

    private static void assertHolds(Optional<String> counterexample, History history) {
        assertThat(counterexample).as("%s", history).isEmpty();
    }
}
