package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import io.netsplit.reconcile.merge.CausalHistories.History;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MergeStateCodecTest {

    static final MergeConfig CONFIG = MergeConfig.of(new SiteOrder(CausalHistories.SITE_NAMES), MergePolicy.fieldMerge());

    @Provide
    Arbitrary<History> histories() {
        return CausalHistories.histories(30);
    }

    @Property(tries = 300)
    void everyReachableStateRoundTripsExactly(@ForAll("histories") History history) {
        MergeTable table = new MergeTable(CONFIG);
        table.applyAll(history.events());
        for (MergeState state : table.states().values()) {
            byte[] bytes = MergeStateCodec.encode(state);
            MergeState decoded = MergeStateCodec.decode(bytes);
            assertThat(decoded).isEqualTo(state);
            assertThat(MergeStateCodec.encode(decoded)).isEqualTo(bytes);
            assertThat(table.merge().converged(decoded)).isEqualTo(table.merge().converged(state));
        }
    }

    @Test
    void shouldRoundTripEveryValueTypeAndOptionalField() {
        Change c = Change.builder("k", new Dot("us-east", 3)).saw(VersionVector.of("eu-west", 2)).version(4)
                .hlc(new Hlc(1_700_000_000_000L, 2)).op(Op.PATCH)
                .field("n", FieldValue.NULL).field("b", FieldValue.of(true)).field("l", FieldValue.of(Long.MIN_VALUE))
                .field("d", FieldValue.of(-0.0)).field("nan", FieldValue.of(Double.NaN)).field("s", FieldValue.of("ünïcødé ✓"))
                .changed("s").idempotencyKey("req-1").wallClockMillis(1_700_000_000_123L).build();
        Change del = Change.builder("k", new Dot("ap-south", 1)).op(Op.DELETE).build();
        Merge merge = new Merge(CONFIG);
        MergeState s = merge.applyAll(MergeState.empty("k"), List.of(c, del)).state();

        MergeState back = MergeStateCodec.decode(MergeStateCodec.encode(s));

        assertThat(back).isEqualTo(s);
        assertThat(back.frontier()).hasSize(2);
        assertThat(back.deleteFrontier()).hasSize(1);
        assertThat(back.frontier().get(1).idempotencyKey()).isEqualTo("req-1");
        assertThat(MergeStateCodec.decode(MergeStateCodec.encode(MergeState.empty("e")))).isEqualTo(MergeState.empty("e"));
    }

    @Test
    void shouldRejectForeignTruncatedNewerAndPaddedInput() {
        Change c = Change.builder("k", new Dot("us-east", 1)).field("a", "b").build();
        byte[] good = MergeStateCodec.encode(new Merge(CONFIG).apply(MergeState.empty("k"), c).state());

        assertThatThrownBy(() -> MergeStateCodec.decode("hello".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad magic");
        byte[] newer = good.clone();
        newer[4] = 2;
        assertThatThrownBy(() -> MergeStateCodec.decode(newer)).hasMessageContaining("unsupported MergeState format version 2");
        assertThatThrownBy(() -> MergeStateCodec.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byte");
        assertThatThrownBy(() -> MergeStateCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .hasMessageContaining("trailing bytes");
    }
}
