package io.netsplit.kit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final Backoff WRITER = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(5));

    @Test
    void shouldDoubleFromTheInitialDelayUpToTheCap() {
        assertThat(WRITER.delayAfter(0)).isZero();
        assertThat(WRITER.delayAfter(1)).hasMillis(200);
        assertThat(WRITER.delayAfter(2)).hasMillis(400);
        assertThat(WRITER.delayAfter(5)).hasMillis(3_200);
        assertThat(WRITER.delayAfter(6)).hasMillis(5_000);
        assertThat(WRITER.delayAfter(Integer.MAX_VALUE)).hasMillis(5_000);
    }

    @Test
    void shouldApplyAnyMultiplierAndKeepAFixedDelayFixed() {
        Backoff triple = new Backoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(1));
        assertThat(triple.delayAfter(2)).hasMillis(300);
        assertThat(triple.delayAfter(3)).hasMillis(900);
        assertThat(triple.delayAfter(4)).hasMillis(1_000);
        assertThat(Backoff.fixed(Duration.ofSeconds(3)).delayAfter(7)).hasSeconds(3);
    }

    @Test
    void shouldCountFailuresUntilReset() {
        Backoff.Attempts attempts = WRITER.attempts();
        assertThat(attempts.peek()).hasMillis(200);
        assertThat(attempts.next()).hasMillis(200);
        assertThat(attempts.next()).hasMillis(400);
        assertThat(attempts.failures()).isEqualTo(2);
        assertThat(attempts.peek()).hasMillis(800);

        attempts.reset();

        assertThat(attempts.failures()).isZero();
        assertThat(attempts.next()).hasMillis(200);
    }

    @Test
    void shouldRejectABackoffThatCannotBeMeant() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), 2.0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void shouldEndAPauseOnInterruptAndKeepTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThat(Pause.sleep(Duration.ofSeconds(30))).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Pause.sleep(Duration.ofMillis(1))).isTrue();
    }

    @Test
    void shouldEndAPauseEarlyWhenWoken() {
        CountDownLatch closing = new CountDownLatch(1);
        closing.countDown();
        long start = System.nanoTime();

        assertThat(Pause.sleep(Duration.ofMinutes(5), closing)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
    }
}
