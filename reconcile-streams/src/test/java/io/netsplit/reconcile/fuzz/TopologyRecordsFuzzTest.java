package io.netsplit.reconcile.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.reconcile.ReconcileTopology;
import io.netsplit.reconcile.internal.Outcome;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.lifecycle.AfterProperty;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Fuzz of every input topic of the reconciler (own {@code changes}, mirrored {@code <alias>.changes}) through
 * {@code TopologyTestDriver}: well-formed events, redeliveries, truncated and garbage bytes, a wrong magic byte, an
 * unknown schema id, tombstones, null, non-UTF-8, mismatched, empty and over-long keys, broken invariants, vectors up
 * to and over the site limit, oversized records. One driver serves every try of the property (fresh keys and dots per
 * try). The seed is {@link FuzzSeed#SEED}.
 */
class TopologyRecordsFuzzTest {

    private FuzzSite site;

    @Provide
    Arbitrary<RecordRecipe.Case> cases() {
        return RecordRecipe.cases();
    }

    @Property(tries = 1000, seed = FuzzSeed.SEED)
    void everyRecordIsMergedOrDeadLetteredWithAReason(@ForAll("cases") RecordRecipe.Case c) {
        if (site == null) {
            site = new FuzzSite();
        }
        assertThat(site.violation(c)).isEmpty();
    }

    /**
     * The same check must fail on a planted defect: a processor behind the merge that throws on one kind of record
     * (a converged record whose fields hold {@code true}), as a careless mapping might; on the real topology the same
     * cases pass.
     */
    @Example
    void theCheckFindsAProcessorThatThrowsOnOneRecord() {
        try (FuzzSite planted = new FuzzSite(TopologyRecordsFuzzTest::throwOnTrue); FuzzSite real = new FuzzSite()) {
            RandomGenerator<RecordRecipe.Case> generator = RecordRecipe.cases().generator(1000);
            Random random = new Random(Long.parseLong(FuzzSeed.SEED));
            Optional<String> found = Optional.empty();
            for (int i = 0; i < 300 && found.isEmpty(); i++) {
                RecordRecipe.Case c = generator.next(random).value();
                assertThat(real.violation(c)).isEmpty();
                found = planted.violation(c);
            }
            assertThat(found).hasValueSatisfying(v -> assertThat(v).contains("pipeInput threw").contains("planted"));
        }
    }

    private static Topology throwOnTrue(Topology topology) {
        return topology.addProcessor("planted-defect", () -> new Processor<byte[], Outcome, Void, Void>() {
            @Override
            public void process(Record<byte[], Outcome> record) {
                if (record.value() instanceof Outcome.Converged c && c.record().getFields().containsValue(Boolean.TRUE)) {
                    throw new IllegalStateException("planted: cannot map a boolean field");
                }
            }
        }, ReconcileTopology.MERGE);
    }

    @AfterProperty
    void close() {
        if (site != null) {
            site.close();
        }
    }
}
