package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HlcTest {

    @Test
    void shouldFollowTheWallClockWhenItIsAhead() {
        assertThat(new Hlc(100, 3).tick(150)).isEqualTo(new Hlc(150, 0));
        assertThat(new Hlc(100, 3).tick(90)).isEqualTo(new Hlc(100, 4));
        assertThat(new Hlc(100, 3).receive(new Hlc(120, 7), 110)).isEqualTo(new Hlc(120, 8));
        assertThat(new Hlc(100, 3).receive(new Hlc(100, 7), 50)).isEqualTo(new Hlc(100, 8));
        assertThat(new Hlc(100, 3).receive(new Hlc(90, 7), 200)).isEqualTo(new Hlc(200, 0));
    }

    @Property(tries = 500)
    void receiveIsAheadOfBothAndNeverBehindTheWallClock(@ForAll @LongRange(max = 1000) long p1, @ForAll @IntRange(max = 5) int l1,
                                                       @ForAll @LongRange(max = 1000) long p2, @ForAll @IntRange(max = 5) int l2,
                                                       @ForAll @LongRange(max = 1000) long now) {
        Hlc local = new Hlc(p1, l1);
        Hlc remote = new Hlc(p2, l2);
        Hlc next = local.receive(remote, now);
        assertThat(next).isGreaterThan(local).isGreaterThan(remote);
        assertThat(next.physicalMillis()).isGreaterThanOrEqualTo(now);
        assertThat(local.tick(now)).isGreaterThan(local);
    }
}
