package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import io.netsplit.reconcile.merge.CausalHistories.History;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Example;

/**
 * The law checks must be able to fail: a plausible but order-dependent policy — "keep the current
 * winner while it is still in the frontier" (sticky incumbent), the classic way a hand-written
 * reconciler depends on arrival order — is injected, and the same check functions the properties
 * use must find a counterexample among generated histories. The built-in policy on the same
 * histories is the control. (jqwik {@code @Example}s: generators need a jqwik thread.)
 */
class MergeLawsHaveTeethTest {

    /** Stateful, therefore order-dependent. Never do this in a real policy. */
    static final class StickyIncumbent implements MergePolicy {
        private final Map<String, Dot> incumbent = new HashMap<>();

        @Override
        public String id() {
            return "sticky-incumbent";
        }

        @Override
        public Mode mode() {
            return Mode.WHOLE_ENTITY;
        }

        @Override
        public Change winner(List<Change> frontier, SiteOrder siteOrder) {
            String key = frontier.get(0).key();
            Dot previous = incumbent.get(key);
            Change winner = frontier.stream().filter(c -> c.dot().equals(previous)).findFirst()
                    .orElseGet(() -> MergePolicy.highestVersion().winner(frontier, siteOrder));
            incumbent.put(key, winner.dot());
            return winner;
        }

        @Override
        public String rule() {
            return "the current winner stays while it is in the frontier";
        }
    }

    private static final SiteOrder ORDER = new SiteOrder(CausalHistories.SITE_NAMES);

    private static List<History> sampleHistories(int count, long seed) {
        RandomGenerator<History> generator = CausalHistories.histories().generator(1000);
        Random random = new Random(seed);
        List<History> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(generator.next(random).value());
        }
        return out;
    }

    private static Optional<String> firstCounterexample(List<History> histories, Supplier<MergeConfig> config, long seed) {
        Random random = new Random(seed);
        for (History h : histories) {
            Optional<String> c = MergeLaws.permutationInvariance(h, config, random)
                    .or(() -> MergeLaws.replicasConverge(h, config, random, 3));
            if (c.isPresent()) {
                return Optional.of(c.get() + "\n" + h);
            }
        }
        return Optional.empty();
    }

    @Example
    void shouldCatchAnOrderDependentPolicy() {
        // Given 300 generated histories (fixed seed, so this test is deterministic)
        List<History> histories = sampleHistories(300, 20261122L);

        // When the laws are checked with the sticky policy, and with highest-version as control
        Optional<String> broken = firstCounterexample(histories, () -> MergeConfig.of(ORDER, new StickyIncumbent()), 7L);
        Optional<String> control = firstCounterexample(histories, () -> MergeConfig.of(ORDER, MergePolicy.highestVersion()), 7L);

        // Then the broken policy is caught and the real one is not
        assertThat(broken).as("the permutation/replica laws must find a counterexample for a sticky policy").isPresent();
        assertThat(broken.get()).contains("differs");
        assertThat(control).isEmpty();
    }

    @Example
    void shouldCatchAMergeThatForgetsFieldWritersOfDominatedEvents() {
        // A field-merge that only looks at the fields the frontier events changed (the mistake
        // docs/architecture.md §4 warns about) loses z in e0/e1/e2; the example check catches it through the
        // same field-merge path the properties exercise.
        Change e0 = Change.builder("k", new Dot("us-east", 1)).op(Op.PATCH).field("z", "zed").build();
        Change e2 = Change.builder("k", new Dot("us-east", 2)).saw(e0.vector()).version(2).op(Op.PATCH)
                .field("z", "zed").field("y", "why").changed("y").build();
        Change e1 = Change.builder("k", new Dot("eu-west", 1)).op(Op.PATCH).field("x", "ex").build();
        MergeState state = new Merge(MergeConfig.of(ORDER, MergePolicy.fieldMerge()))
                .applyAll(MergeState.empty("k"), List.of(e0, e1, e2)).state();

        Map<String, FieldValue> onlyChangedByFrontier = new HashMap<>();
        for (Change c : state.frontier()) {
            c.changedFields().forEach(f -> onlyChangedByFrontier.put(f, c.fields().get(f)));
        }
        assertThat(onlyChangedByFrontier).doesNotContainKey("z");
        assertThat(Merge.mergeFields(state, ORDER).fields()).containsEntry("z", FieldValue.of("zed"));
    }
}
