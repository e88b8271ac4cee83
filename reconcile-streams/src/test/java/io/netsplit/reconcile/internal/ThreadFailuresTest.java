package io.netsplit.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void failuresInARowDoubleThePauseUpToTheCapAndAQuietMinuteStartsOver() {
        ThreadFailures f = new ThreadFailures();
        long t = 1_000 * SECOND;

        assertThat(f.next(t)).isEqualTo(250);
        assertThat(f.next(t += SECOND)).isEqualTo(500);
        assertThat(f.next(t += SECOND)).isEqualTo(1_000);
        for (int i = 0; i < 20; i++) {
            f.next(t += SECOND);
        }
        assertThat(f.next(t += SECOND)).isEqualTo(30_000);
        assertThat(f.inARow()).isEqualTo(24);

        assertThat(f.next(t + 61 * SECOND)).isEqualTo(250);
        assertThat(f.inARow()).isEqualTo(1);
    }
}
