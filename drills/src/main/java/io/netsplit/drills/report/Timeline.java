package io.netsplit.drills.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What happened during a drill, on the drill's clock (ms since start): phases, faults, writes,
 * lag samples per link, conflicts seen, and the moment of convergence. Thread-safe.
 */
public final class Timeline {

    /**
     * A point event: {@code kind} is phase, fault (a link cut), degrade (latency, bandwidth), heal,
     * write, refused, crash, restart, audit-loss or converged.
     */
    public record Event(long atMillis, String kind, String label) {
    }

    /** A lag sample of one link (or a reconciler input), in records. */
    public record Sample(long atMillis, String series, long value) {
    }

    private final LongSupplier clock;
    private final List<Event> events = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();

    /** A timeline whose clock starts now. */
    public Timeline() {
        long startNanos = System.nanoTime();
        this.clock = () -> (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A timeline on a given clock (ms since the drill started): tests drive a fake one. */
    public Timeline(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    public long now() {
        return clock.getAsLong();
    }

    public synchronized Event event(String kind, String label) {
        Event e = new Event(now(), kind, label);
        events.add(e);
        return e;
    }

    public synchronized void sample(String series, long value) {
        samples.add(new Sample(now(), series, value));
    }

    public synchronized List<Event> events() {
        return Collections.unmodifiableList(new ArrayList<>(events));
    }

    public synchronized List<Sample> samples() {
        return Collections.unmodifiableList(new ArrayList<>(samples));
    }

    /** Samples grouped by series, in time order. */
    public synchronized Map<String, List<Sample>> series() {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            out.computeIfAbsent(s.series(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }
}
