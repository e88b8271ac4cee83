package io.netsplit.reconcile.internal;

import io.netsplit.kit.Backoff;
import io.netsplit.kit.Pause;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long to wait before replacing a failed stream thread: 250 ms after a first failure, doubling
 * with every failure that follows within a minute of the one before, at most 30 s. A failure that
 * repeats on the same record (the broker down, a record the processor cannot handle) then costs a
 * bounded retry rate instead of a hot loop; a failure after a quiet minute starts again at 250 ms.
 */
public final class ThreadFailures {

    static final long FIRST_PAUSE_MS = 250;
    static final long MAX_PAUSE_MS = 30_000;
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(FIRST_PAUSE_MS),
            Duration.ofMillis(MAX_PAUSE_MS));
    static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private long lastAt;
    private int inARow;

    /** Records a failure at {@code nowNanos}; returns the pause before the thread is replaced. */
    public synchronized long next(long nowNanos) {
        inARow = inARow > 0 && nowNanos - lastAt < QUIET_NANOS ? inARow + 1 : 1;
        lastAt = nowNanos;
        return BACKOFF.delayAfter(inARow).toMillis();
    }

    public synchronized int inARow() {
        return inARow;
    }

    /** Waits {@code millis} on the failed thread (it is about to be replaced; nothing else runs on it). */
    public void pause(long millis) {
        Pause.sleep(millis); // interrupted: the flag stays set for the thread's end
    }
}
