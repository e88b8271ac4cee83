package io.netsplit.kit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one way a thread waits between tries. Interruptible: an interrupt ends the pause early, the thread's interrupt
 * flag is set again (so the caller's loop, or the next blocking call, still sees it), and the pause answers
 * {@code false}. Callers stop or give up on {@code false}; they never swallow the interrupt.
 */
public final class Pause {

    private Pause() {
    }

    /** Sleeps {@code delay}; {@code false} if interrupted (the interrupt flag is set again). */
    public static boolean sleep(Duration delay) {
        return sleep(delay.toMillis());
    }

    /** Sleeps {@code millis} ms (nothing for zero or less); {@code false} if interrupted (the flag is set again). */
    public static boolean sleep(long millis) {
        if (millis <= 0) {
            return !Thread.currentThread().isInterrupted();
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits {@code delay}, or less when {@code wake} counts down first (a service closing wakes its retry loop this
     * way); {@code false} only if interrupted (the interrupt flag is set again).
     */
    public static boolean sleep(Duration delay, CountDownLatch wake) {
        try {
            wake.await(Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
