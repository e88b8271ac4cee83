package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class VersionVectorTest {

    final VersionVector a = VersionVector.of("us-east", 2, "eu-west", 1);

    @Test
    void shouldCompareCausally() {
        assertThat(a.compare(VersionVector.of("us-east", 2, "eu-west", 1))).isEqualTo(Causality.EQUAL);
        assertThat(a.compare(VersionVector.of("us-east", 3, "eu-west", 1))).isEqualTo(Causality.BEFORE);
        assertThat(a.compare(VersionVector.of("us-east", 2))).isEqualTo(Causality.AFTER);
        assertThat(a.compare(VersionVector.of("us-east", 1, "eu-west", 2))).isEqualTo(Causality.CONCURRENT);
        assertThat(a.compare(VersionVector.of("ap-south", 1))).isEqualTo(Causality.CONCURRENT);
        assertThat(VersionVector.empty().compare(a)).isEqualTo(Causality.BEFORE);
        assertThat(a.dominates(VersionVector.of("eu-west", 1))).isTrue();
        assertThat(a.dominates(a)).isTrue();
        assertThat(a.before(a)).isFalse();
    }

    @Test
    void shouldJoinAndIgnoreZeroCounters() {
        assertThat(a.join(VersionVector.of("eu-west", 4, "ap-south", 1)))
                .isEqualTo(VersionVector.of("us-east", 2, "eu-west", 4, "ap-south", 1));
        assertThat(VersionVector.of("us-east", 2, "eu-west", 0)).isEqualTo(VersionVector.of("us-east", 2));
        assertThat(a.with(new Dot("us-east", 5)).get("us-east")).isEqualTo(5);
        assertThat(a.with("us-east", 1)).isSameAs(a);
        assertThat(a.contains(new Dot("eu-west", 1))).isTrue();
        assertThat(a.contains(new Dot("eu-west", 2))).isFalse();
        assertThat(a.toString()).isEqualTo("{eu-west:1, us-east:2}");
        assertThat(a.asMap()).containsExactly(Map.entry("eu-west", 1L), Map.entry("us-east", 2L));
    }

    @Test
    void shouldRejectNegativeCountersAndEmptySites() {
        assertThatThrownBy(() -> VersionVector.of("us-east", -1)).hasMessageContaining("us-east");
        assertThatThrownBy(() -> VersionVector.of("", 1)).hasMessageContaining("site");
        assertThatThrownBy(() -> new Dot("us-east", 0)).hasMessageContaining(">= 1");
    }

    @Test
    void shouldOnlyTakeCanonicalArraysFromTheDecoder() {
        assertThat(VersionVector.ofSorted(new String[] {"a", "b"}, new long[] {1, 2})).isEqualTo(VersionVector.of("b", 2, "a", 1));
        assertThatThrownBy(() -> VersionVector.ofSorted(new String[] {"b", "a"}, new long[] {1, 2})).hasMessageContaining("sorted");
        assertThatThrownBy(() -> VersionVector.ofSorted(new String[] {"a", "a"}, new long[] {1, 2})).hasMessageContaining("unique");
        assertThatThrownBy(() -> VersionVector.ofSorted(new String[] {"a"}, new long[] {0})).hasMessageContaining("counters > 0");
    }

    @Provide
    Arbitrary<VersionVector> vectors() {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), Arbitraries.longs().between(0, 4)).ofMaxSize(4)
                .map(VersionVector::of);
    }

    @Property(tries = 500)
    void joinIsALeastUpperBound(@ForAll("vectors") VersionVector x, @ForAll("vectors") VersionVector y,
                                @ForAll("vectors") VersionVector z) {
        assertThat(x.join(y)).isEqualTo(y.join(x));
        assertThat(x.join(y).join(z)).isEqualTo(x.join(y.join(z)));
        assertThat(x.join(x)).isEqualTo(x);
        assertThat(x.join(y).dominates(x) && x.join(y).dominates(y)).isTrue();
        if (z.dominates(x) && z.dominates(y)) {
            assertThat(z.dominates(x.join(y))).isTrue();
        }
    }

    @Property(tries = 500)
    void compareIsAntisymmetricAndAgreesWithDominates(@ForAll("vectors") VersionVector x, @ForAll("vectors") VersionVector y) {
        Causality xy = x.compare(y);
        Causality yx = y.compare(x);
        switch (xy) {
            case BEFORE -> assertThat(yx).isEqualTo(Causality.AFTER);
            case AFTER -> assertThat(yx).isEqualTo(Causality.BEFORE);
            case EQUAL -> assertThat(yx).isEqualTo(Causality.EQUAL);
            case CONCURRENT -> assertThat(yx).isEqualTo(Causality.CONCURRENT);
        }
        assertThat(x.dominates(y)).isEqualTo(xy == Causality.AFTER || xy == Causality.EQUAL);
        assertThat(xy == Causality.EQUAL).isEqualTo(x.equals(y));
    }
}
