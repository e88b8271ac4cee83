package io.netsplit.kit;

import java.time.Duration;
import java.util.Objects;

/**
 * The one retry backoff: the delay before retrying after {@code n} failures in a row is {@code initial} times
 * {@code multiplier}<sup>n-1</sup>, never more than {@code max}. Immutable; a retry loop keeps its count of failures
 * in an {@link Attempts} ({@link #attempts()}), which it resets after a success.
 *
 * <pre>{@code
 * Backoff.Attempts retry = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(5)).attempts();
 * ... on a failure:  Pause.sleep(retry.next());
 * ... on a success:  retry.reset();
 * }</pre>
 *
 * @param initial    the delay after the first failure; not negative
 * @param multiplier what each further failure multiplies the delay by; at least 1
 * @param max        the cap; not less than {@code initial}
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative()) {
            throw new IllegalArgumentException("backoff initial delay must not be negative, got " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, got " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff cap " + max + " is less than its initial delay " + initial);
        }
    }

    /** Doubling from {@code initial} up to {@code max}. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, 2.0, max);
    }

    /** The same delay after every failure. */
    public static Backoff fixed(Duration delay) {
        return new Backoff(delay, 1.0, delay);
    }

    /** The delay before retrying after {@code failures} failures in a row (1 = the first); zero for none. */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        double millis = initial.toMillis();
        long cap = max.toMillis();
        for (int i = 1; i < failures && millis < cap; i++) {
            millis *= multiplier;
        }
        return Duration.ofMillis(Math.min((long) millis, cap));
    }

    /** A fresh count of failures for one retry loop. */
    public Attempts attempts() {
        return new Attempts(this);
    }

    /**
     * The failures in a row of one retry loop, and the delay they call for. Not thread-safe: one loop owns it.
     */
    public static final class Attempts {

        private final Backoff backoff;
        private int failures;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** Counts one more failure and returns the delay before the next try. */
        public Duration next() {
            if (failures < Integer.MAX_VALUE) {
                failures++;
            }
            return backoff.delayAfter(failures);
        }

        /** The delay the next failure will call for, without counting it. */
        public Duration peek() {
            return backoff.delayAfter(failures == Integer.MAX_VALUE ? failures : failures + 1);
        }

        /** After a success: the next failure waits {@code initial} again. */
        public void reset() {
            failures = 0;
        }

        /** Failures in a row since the last reset. */
        public int failures() {
            return failures;
        }
    }
}
