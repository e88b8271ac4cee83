package io.netsplit.health;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a stream of probe results for one target (a site's broker, a link) into a verdict with
 * hysteresis: the target is declared down only after {@code failureThreshold} failed probes in a row,
 * and up again only after {@code recoveryThreshold} good ones, so one slow or lost probe never flips
 * the status. It also counts slow probes in a row and down/up changes in a window (flapping).
 * Not thread-safe: the checker feeds it from one thread.
 */
public final class ProbeTracker {

    /** One probe's outcome. */
    public record Result(boolean ok, long rttMs, String error) {
    }

    private final String target;
    private final int failureThreshold;
    private final int recoveryThreshold;
    private final long slowMs;
    private final int flapCount;
    private final long flapWindowMs;

    private boolean down;
    private long sinceMs;
    private int failures;
    private int successes;
    private int slowInARow;
    private Long lastRttMs;
    private String lastError;
    private long probes;
    private long streakSinceMs;
    private final Deque<Long> changes = new ArrayDeque<>();

    public ProbeTracker(String target, int failureThreshold, int recoveryThreshold, long slowMs, int flapCount,
                        long flapWindowMs, long nowMs) {
        this.target = target;
        this.failureThreshold = failureThreshold;
        this.recoveryThreshold = recoveryThreshold;
        this.slowMs = slowMs;
        this.flapCount = flapCount;
        this.flapWindowMs = flapWindowMs;
        this.sinceMs = nowMs;
    }

    /** A tracker with the thresholds of {@code config}. */
    public static ProbeTracker of(String target, HealthConfig config, long nowMs) {
        return new ProbeTracker(target, config.failureThreshold(), config.recoveryThreshold(), config.slowProbeMs(),
                config.flapCount(), config.flapWindowMs(), nowMs);
    }

    /** Records one probe taken at {@code nowMs}. */
    public void record(Result r, long nowMs) {
        probes++;
        if (r.ok() != (successes > 0) || probes == 1) {
            streakSinceMs = nowMs;
        }
        if (r.ok()) {
            successes++;
            failures = 0;
            lastRttMs = r.rttMs();
            slowInARow = r.rttMs() > slowMs ? slowInARow + 1 : 0;
            if (down && successes >= recoveryThreshold) {
                down = false;
                change(nowMs);
            }
        } else {
            failures++;
            successes = 0;
            slowInARow = 0;
            lastError = r.error();
            if (!down && failures >= failureThreshold) {
                down = true;
                change(nowMs);
            }
        }
        while (!changes.isEmpty() && changes.peekFirst() < nowMs - flapWindowMs) {
            changes.removeFirst();
        }
    }

    private void change(long nowMs) {
        // down since its first failed probe of this run, up since its first good one: not since the threshold
        sinceMs = streakSinceMs;
        changes.addLast(nowMs);
    }

    /** What the rules need to know about this target now. */
    public ProbeView view() {
        return new ProbeView(target, down, sinceMs, failures, successes, slowInARow >= failureThreshold, lastRttMs,
                changes.size() >= flapCount, changes.size(), down ? lastError : (failures > 0 ? lastError : null), probes,
                streakSinceMs);
    }

    /**
     * A snapshot of one tracker.
     *
     * @param down                declared down (failure threshold reached, recovery threshold not yet)
     * @param sinceMs             since when it is down (its first failed probe in a row) or up (its first good
     *                            probe after being down; when tracking began if it never was down)
     * @param consecutiveFailures failed probes in a row
     * @param consecutiveSuccesses good probes in a row
     * @param slow                slow for the failure threshold of probes in a row
     * @param rttMs               the last good probe's round trip
     * @param flapping            went down and up often within the flap window
     * @param changesInWindow     down/up changes within the flap window
     * @param error               the last failure, while failures go on
     * @param probes              probes recorded in all
     * @param streakSinceMs       when the current run of good (or failed) probes began: for a link that came back,
     *                            when it first answered again
     */
    public record ProbeView(String target, boolean down, long sinceMs, int consecutiveFailures, int consecutiveSuccesses,
                            boolean slow, Long rttMs, boolean flapping, int changesInWindow, String error, long probes,
                            long streakSinceMs) {
    }
}
