package io.netsplit.drills.run;

import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.check.SiteSnapshot;
import io.netsplit.drills.scenario.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An in-memory {@link DrillTarget} for the runner's unit tests. Writes mint dots per site. A poll is
 * one {@link #linkLag()} call (the runner makes one per await poll): after a link change that heals,
 * the sites report the same digest and full frontiers only from the {@code pollsToConverge}-th poll
 * on, and never while a link is cut. Heals, isolates and the final heal are recorded.
 *
 * <p>Each site's writer sees its own writes at once and another site's write from the first poll on
 * which the sites are converged and {@link #writerViewsLagBy} polls have passed since the write; a
 * write's vector is the writer's view of the key joined with its own dot, as a real writer mints it.
 * A writer a kill step stopped (or {@link #writerUnreachable}) answers no view.
 */
final class FakeTarget implements DrillTarget {

    /** One write as the runner issued it. */
    record Issued(String site, String key, Map<String, Object> fields) {
        Issued {
            fields = Collections.unmodifiableMap(new TreeMap<>(fields));
        }
    }

    private final List<String> sites;
    private final int pollsToConverge;
    private final Set<String> cut = new HashSet<>();
    private final Set<String> degraded = new HashSet<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private long polls;
    private long convergedFromPoll;

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<Issued> issued = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicBoolean keyOverlapped = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByKey = new ConcurrentHashMap<>();
    /** Holds the first writes until this many are in flight at once (a generous timeout keeps a broken runner from hanging). */
    private volatile CountDownLatch together = new CountDownLatch(0);
    private volatile Predicate<Issued> refuse = w -> false;
    final List<AckedWrite> acked = Collections.synchronizedList(new ArrayList<>());
    /** Acknowledged writes not yet visible at every site, with the poll they were acknowledged after. */
    private final Map<AckedWrite, Long> spreading = new LinkedHashMap<>();
    private final List<AckedWrite> everywhere = new ArrayList<>();
    private final Set<String> writersDown = new HashSet<>();
    private int writerLag;
    private boolean forgetsCounterOnRestart;

    FakeTarget(List<String> sites, int pollsToConverge) {
        this.sites = List.copyOf(sites);
        this.pollsToConverge = pollsToConverge;
        sites.forEach(s -> counters.put(s, new AtomicLong()));
    }

    FakeTarget holdFirstWritesUntilInFlight(int n) {
        together = new CountDownLatch(n);
        return this;
    }

    FakeTarget writerViewsLagBy(int polls) {
        writerLag = polls;
        return this;
    }

    /** A restarted writer starts its dot counter from 0 again: the bug that reuses dots after a registry outage. */
    FakeTarget writerForgetsItsCounterOnRestart() {
        forgetsCounterOnRestart = true;
        return this;
    }

    synchronized FakeTarget writerUnreachable(String site) {
        writersDown.add(site);
        return this;
    }

    FakeTarget refusing(Predicate<Issued> which) {
        refuse = which;
        return this;
    }

    @Override
    public List<String> sites() {
        return sites;
    }

    @Override
    public AckedWrite write(String site, String key, Step.Op op, Map<String, Object> fields, long atMillis) throws WriteRefused {
        Issued w = new Issued(site, key, fields);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        if (inFlightByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
            keyOverlapped.set(true);
        }
        try {
            issued.add(w);
            together.countDown();
            if (!together.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fewer writes in flight than the test expects");
            }
            if (refuse.test(w)) {
                throw new WriteRefused("503 (the fake refuses " + key + ")");
            }
            return mint(site, key, op, atMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlightByKey.get(key).decrementAndGet();
            inFlight.decrementAndGet();
        }
    }

    private synchronized AckedWrite mint(String site, String key, Step.Op op, long atMillis) {
        long counter = counters.get(site).incrementAndGet();
        Map<String, Long> vector = new TreeMap<>(view(site, key));
        vector.put(site, counter);
        AckedWrite a = new AckedWrite(site, key, op.name(), site, counter, counter, vector, atMillis);
        acked.add(a);
        spreading.put(a, polls);
        return a;
    }

    /** The join of the vectors of the writes to {@code key} that {@code site}'s writer has seen. */
    private synchronized Map<String, Long> view(String site, String key) {
        Map<String, Long> vector = new TreeMap<>();
        List<AckedWrite> seen = new ArrayList<>(everywhere);
        spreading.keySet().stream().filter(a -> a.site().equals(site)).forEach(seen::add);
        for (AckedWrite a : seen) {
            if (a.key().equals(key)) {
                a.vector().forEach((s, c) -> vector.merge(s, c, Math::max));
            }
        }
        return vector;
    }

    @Override
    public synchronized Optional<Map<String, Long>> writerVector(String site, String key) {
        if (writersDown.contains(site)) {
            throw new IllegalStateException("connection refused (the fake's writer@" + site + " is down)");
        }
        Map<String, Long> v = view(site, key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public synchronized void isolate(String a, String b, boolean oneWay, Step.CutStyle style) {
        calls.add("isolate " + a + " " + b);
        cut.add(a + "->" + b);
        if (!oneWay) {
            cut.add(b + "->" + a);
        }
    }

    @Override
    public synchronized void heal(String a, String b) {
        calls.add("heal " + a + " " + b);
        cut.remove(a + "->" + b);
        cut.remove(b + "->" + a);
        degraded.remove(a + "->" + b);
        degraded.remove(b + "->" + a);
        healed();
    }

    @Override
    public synchronized boolean healAll() {
        boolean changed = !cut.isEmpty() || !degraded.isEmpty();
        calls.add("healAll " + (changed ? "changed" : "unchanged"));
        cut.clear();
        degraded.clear();
        if (changed) {
            healed();
        }
        return changed;
    }

    private void healed() {
        convergedFromPoll = polls + pollsToConverge;
    }

    @Override
    public synchronized void latency(String a, String b, Duration latency, Duration jitter) {
        calls.add("latency " + a + " " + b);
        degraded.add(a + "->" + b);
    }

    @Override
    public synchronized void bandwidth(String a, String b, long kilobytesPerSecond) {
        calls.add("bandwidth " + a + " " + b);
        degraded.add(a + "->" + b);
    }

    @Override
    public synchronized void kill(Step.Component component, String site) {
        calls.add("kill " + component + " " + site);
        if (component == Step.Component.WRITER) {
            writersDown.add(site);
        }
    }

    @Override
    public synchronized void restart(Step.Component component, String site) {
        calls.add("restart " + component + " " + site);
        if (component == Step.Component.WRITER) {
            writersDown.remove(site);
            if (forgetsCounterOnRestart) {
                counters.get(site).set(0);
            }
        }
    }

    @Override
    public long loseAudit(String site, long from, long to) {
        return to - from + 1;
    }

    private synchronized boolean converged() {
        return cut.isEmpty() && polls >= convergedFromPoll;
    }

    @Override
    public synchronized Map<String, Long> linkLag() {
        polls++;
        if (converged()) {
            spreading.entrySet().removeIf(e -> {
                boolean seen = polls >= e.getValue() + writerLag;
                if (seen) {
                    everywhere.add(e.getKey());
                }
                return seen;
            });
        }
        Map<String, Long> lag = new LinkedHashMap<>();
        for (String a : sites) {
            for (String b : sites) {
                if (!a.equals(b)) {
                    lag.put(a + "->" + b, cut.contains(a + "->" + b) ? -1L : converged() ? 0L : 3L);
                }
            }
        }
        return lag;
    }

    @Override
    public ReconcilerStatus status(String site) {
        boolean converged = converged();
        Map<String, Long> frontier = new LinkedHashMap<>();
        counters.forEach((s, c) -> {
            if (converged || s.equals(site)) {
                frontier.put(s, c.get());
            }
        });
        return new ReconcilerStatus(site, 0, 0, 0, converged ? "same" : "digest-of-" + site, frontier, 0, null, Map.of(),
                List.of(), List.of());
    }

    @Override
    public SiteSnapshot snapshot(String site) {
        ReconcilerStatus st = status(site);
        return new SiteSnapshot(site, st.digest(), st.frontier(), 0, 0, 0, Map.of(), Set.of(), 0, List.of(), List.of());
    }

    @Override
    public Replay replay(String site) {
        return new Replay(status(site).digest(), List.of());
    }

    @Override
    public String repairAudit(String site) {
        return "nothing missing";
    }

    @Override
    public void close() {
    }
}
