package io.netsplit.drills.run;

import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.check.CheckContext;
import io.netsplit.drills.check.Checker;
import io.netsplit.drills.check.Checkers;
import io.netsplit.drills.check.SiteSnapshot;
import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.Timeline;
import io.netsplit.drills.scenario.Expectations;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.Step;

import io.netsplit.kit.Pause;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Runs a scenario in phases, as Jepsen's Maelstrom does: load with faults (the steps), heal every
 * link, settle until the queues are drained and the digests agree, final reads, then the checkers
 * over the recorded history. Prints a transcript as it goes and returns the report.
 *
 * <p>The runner knows no step kind and no checker by name: each {@link Step} executes itself
 * against a {@link StepContext} the runner provides, and the checks are those
 * {@link Checkers#chosenFor} picks from the scenario's expectations, over a {@link CheckContext}.
 *
 * <p>The headline figure, {@code converged X s after the last link change}, runs from the last step
 * that changed a link (an isolate, heal, flap, latency or bandwidth step, or the final heal when it
 * still found a fault) to the first moment after it that an {@code await converged} step or the
 * settle phase saw the sites converged. Each heal's own figure is measured the same way.
 */
public final class DrillRunner {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** How often an await polls: the link health endpoint once and every site's reconciler status once. */
    static final Duration POLL = Duration.ofMillis(50);

    private final DrillTarget target;
    private final PrintWriter out;
    private final Timeline timeline;
    private final LongConsumer pause;
    private final List<AckedWrite> acked = Collections.synchronizedList(new ArrayList<>());
    /** The highest acknowledged dot counter per dot site: what every site's frontier must cover. */
    private final Map<String, Long> ackedFrontier = new ConcurrentHashMap<>();
    /** Acknowledged writes whose dot was not above every dot of their site acknowledged before they were issued. */
    private final List<String> reusedDots = Collections.synchronizedList(new ArrayList<>());
    /** Per key, the highest acknowledged dot counter per dot site: what every site's writer view of the key must cover. */
    private final Map<String, Map<String, Long>> ackedByKey = new ConcurrentHashMap<>();
    /**
     * Per site, the writer view's vector of each key as last seen covering what the drill needed then
     * (a writer's view only grows, so a key is asked about again only after a newer write to it).
     */
    private final Map<String, Map<String, Map<String, Long>>> writerViews = new HashMap<>();
    /** Sites whose writer a step killed and no step restarted yet: there is no view to wait for. */
    private final Set<String> writersDown = new HashSet<>();
    private final List<Verdict> stepFailures = new ArrayList<>();
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final List<Future<?>> background = new ArrayList<>();
    private final ExecutorService loads = Executors.newCachedThreadPool(
            r -> Thread.ofPlatform().daemon().name("drill-load").unstarted(r));
    private final Map<String, Expectations.StatusCounts> baseline = new LinkedHashMap<>();
    /** Link changes and convergence seen, in the order they happened; only the drill's own thread adds. */
    private final List<Mark> marks = new ArrayList<>();

    /** A moment the convergence figures refer to: a link change (named for the transcript) or convergence seen. */
    private record Mark(Timeline.Event event, String step, Kind kind) {
        enum Kind { LINK_CHANGE, HEAL, CONVERGED }
    }

    public DrillRunner(DrillTarget target, PrintWriter out) {
        this(target, out, new Timeline(), millis -> {
            if (!Pause.sleep(millis)) {
                throw new IllegalStateException("drill interrupted");
            }
        });
    }

    /** A runner on a given clock: tests pass a timeline on a fake clock and a {@code pause} that advances it. */
    DrillRunner(DrillTarget target, PrintWriter out, Timeline timeline, LongConsumer pause) {
        this.target = target;
        this.out = out;
        this.timeline = timeline;
        this.pause = pause;
    }

    /** The acknowledged writes so far, in the order they were acknowledged. */
    public List<AckedWrite> history() {
        return List.copyOf(acked);
    }

    public DrillReport run(Scenario s, long setupMillis) {
        phases.put("1-setup", setupMillis);
        say("setup", "drill " + s.id() + " (seed " + s.seed() + "): sites " + s.sites() + ", policy "
                + s.policy().defaultPolicy() + (s.policy().prefixes().isEmpty() ? "" : " " + s.policy().prefixes()));
        checkTarget(s);

        long t = timeline.now();
        timeline.event("phase", "load and faults");
        StepContext steps = new Steps(s);
        for (Step step : s.steps()) {
            step.execute(steps);
        }
        phases.put("2-load-and-faults", timeline.now() - t);

        t = timeline.now();
        joinBackgroundLoads();
        loads.shutdown();
        if (target.healAll()) {
            linkChanged(Mark.Kind.HEAL, "heal", "heal every link (final)", "the final heal of every link");
            say("heal", "every link healed (some were still cut or degraded)");
        } else {
            say("heal", "every link was already clear: nothing to heal");
        }
        phases.put("3-heal", timeline.now() - t);

        t = timeline.now();
        boolean settled = await(Step.Condition.CONVERGED, s.expect().within(), "settle", "converged (settle)") != null;
        if (!settled) {
            stepFailures.add(Verdict.fail("settle", "not converged within " + s.expect().within().toSeconds()
                    + " s of the last heal", List.of(describeState())));
        }
        phases.put("4-settle", timeline.now() - t);

        List<DrillReport.AfterLinkChange> heals = new ArrayList<>();
        DrillReport.AfterLinkChange lastChange = null;
        String lastStep = null;
        for (int i = 0; i < marks.size(); i++) {
            Mark m = marks.get(i);
            if (m.kind() == Mark.Kind.CONVERGED) {
                continue;
            }
            lastChange = new DrillReport.AfterLinkChange(m.event().atMillis(), m.event().label(), convergedAfter(i));
            lastStep = m.step();
            if (m.kind() == Mark.Kind.HEAL) {
                heals.add(lastChange);
            }
        }
        // settling saw convergence after every link change, so a settled drill always has the figure
        Long convergedAfterHeal = settled && lastChange != null ? lastChange.convergedAfterMillis() : null;

        t = timeline.now();
        List<SiteSnapshot> snapshots = new ArrayList<>();
        List<String> repairs = new ArrayList<>();
        for (String site : s.sites()) {
            if (s.expect().auditComplete()) {
                repairs.add(site + ": " + target.repairAudit(site));
            }
            snapshots.add(target.snapshot(site));
        }
        say("read", "final reads: " + snapshots.size() + " sites, " + acked.size() + " acknowledged writes"
                + (repairs.isEmpty() ? "" : "; audit repair " + repairs));
        phases.put("5-final-reads", timeline.now() - t);

        t = timeline.now();
        List<Verdict> verdicts = new ArrayList<>(stepFailures);
        CheckContext checked = new CheckContext(s.expect(), history(), snapshots, baseline, List.copyOf(reusedDots),
                repairs, target);
        for (Checker checker : Checkers.chosenFor(s.expect())) {
            verdicts.add(checker.check(checked));
        }
        phases.put("6-checks", timeline.now() - t);
        for (Verdict v : verdicts) {
            say("check", v.checker() + ": " + (v.passed() ? "pass" : "FAIL") + " — " + v.summary());
            if (!v.passed()) {
                v.evidence().forEach(e -> out.println("            " + e));
            }
        }
        boolean passed = verdicts.stream().allMatch(Verdict::passed);
        Map<String, String> digests = new TreeMap<>();
        Map<String, String> status = new TreeMap<>();
        for (SiteSnapshot snap : snapshots) {
            digests.put(snap.site(), snap.digest());
            status.put(snap.site(), "conflicts=" + snap.conflicts() + " merged=" + snap.merged() + " pending=" + snap.pending());
        }
        if (convergedAfterHeal != null) {
            say("result", String.format(Locale.ROOT, "converged %.1f s after the last link change (%s)",
                    convergedAfterHeal / 1000.0, lastStep));
        } else if (settled) {
            say("result", "converged; no step cut, degraded or healed a link");
        }
        long pass = verdicts.stream().filter(Verdict::passed).count();
        say("result", (passed ? "PASSED" : "FAILED") + " (" + pass + "/" + verdicts.size() + " checks)");
        return new DrillReport(s.id(), s.seed(), passed, setupMillis + timeline.now(), convergedAfterHeal, lastChange,
                heals, phases, acked.size(), refused.get(), digests, status, verdicts, timeline.events(), timeline.samples());
    }

    /** From the link change at {@code marks[i]} to the first convergence seen after it; null if none was. */
    private Long convergedAfter(int i) {
        for (int j = i + 1; j < marks.size(); j++) {
            if (marks.get(j).kind() == Mark.Kind.CONVERGED) {
                return marks.get(j).event().atMillis() - marks.get(i).event().atMillis();
            }
        }
        return null;
    }

    /**
     * Records a change to the links on the timeline ({@code what (line N)}) and among the marks the
     * convergence figures are measured from; {@code step} names it in the transcript.
     */
    private void linkChanged(Mark.Kind kind, String eventKind, String label, String step) {
        marks.add(new Mark(timeline.event(eventKind, label), step, kind));
    }

    private void linkChanged(Mark.Kind kind, String eventKind, String what, int line) {
        linkChanged(kind, eventKind, what + " (line " + line + ")",
                what.replace(" <-> ", " ↔ ").replace(" -> ", " → ") + ", line " + line);
    }

    /**
     * The target must have the scenario's sites and run its policy; records each site's counts so
     * the status checker judges what this drill caused, not the lab's history.
     */
    private void checkTarget(Scenario s) {
        if (!target.sites().containsAll(s.sites())) {
            throw new IllegalStateException("the scenario needs sites " + s.sites() + ", the lab has " + target.sites());
        }
        for (String site : target.sites()) {
            DrillTarget.ReconcilerStatus st = target.status(site);
            if (st.defaultPolicy() != null && !st.defaultPolicy().equals(s.policy().defaultPolicy())) {
                throw new IllegalStateException("the reconciler at " + site + " runs policy " + st.defaultPolicy()
                        + ", the scenario needs " + s.policy().defaultPolicy() + " (run the drill without --lab to get its own lab)");
            }
            s.policy().prefixes().forEach((prefix, policy) -> {
                if (!policy.equals(st.policyPrefixes().get(prefix))) {
                    throw new IllegalStateException("the reconciler at " + site + " maps key prefix '" + prefix + "' to "
                            + st.policyPrefixes().get(prefix) + ", the scenario needs " + policy);
                }
            });
            baseline.put(site, new Expectations.StatusCounts(st.conflicts(), st.merged(), st.pending()));
        }
    }

    private void joinBackgroundLoads() {
        for (Future<?> f : background) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("background load failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("drill interrupted", e);
            }
        }
        background.clear();
    }

    /** What the steps of one run see of the runner. */
    private final class Steps implements StepContext {
        private final Scenario scenario;

        Steps(Scenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public Scenario scenario() {
            return scenario;
        }

        @Override
        public DrillTarget target() {
            return target;
        }

        @Override
        public long now() {
            return timeline.now();
        }

        @Override
        public void say(String phase, String what) {
            DrillRunner.this.say(phase, what);
        }

        @Override
        public Timeline.Event event(String kind, String label) {
            return timeline.event(kind, label);
        }

        @Override
        public void pause(long millis) {
            pause.accept(millis);
        }

        @Override
        public AckedWrite write(String site, String key, Step.Op op, Map<String, Object> fields) {
            return writeOnce(site, key, op, fields);
        }

        @Override
        public void linkChanged(String eventKind, String what, int line) {
            DrillRunner.this.linkChanged(Mark.Kind.LINK_CHANGE, eventKind, what, line);
        }

        @Override
        public void linkHealed(String what, int line) {
            DrillRunner.this.linkChanged(Mark.Kind.HEAL, "heal", what, line);
        }

        @Override
        public void writerStopped(String site) {
            writersDown.add(site);
        }

        @Override
        public void writerStarted(String site) {
            writersDown.remove(site);
        }

        @Override
        public void inBackground(Runnable load) {
            background.add(loads.submit(load));
        }

        @Override
        public void joinBackground() {
            joinBackgroundLoads();
        }

        @Override
        public boolean await(Step.Condition condition, String phase, String convergedLabel) {
            return DrillRunner.this.await(condition, scenario.expect().within(), phase, convergedLabel) != null;
        }

        @Override
        public void fail(Verdict verdict) {
            stepFailures.add(verdict);
        }

        @Override
        public String describeState() {
            return DrillRunner.this.describeState();
        }
    }

    private AckedWrite writeOnce(String site, String key, Step.Op op, Map<String, Object> fields) {
        // a writer's counter only grows: every dot it mints now must lie above every dot of its site already acknowledged
        long floor = ackedFrontier.getOrDefault(site, 0L);
        try {
            AckedWrite a = target.write(site, key, op, fields, timeline.now());
            if (a.dotSite().equals(site) && a.dotCounter() <= floor) {
                reusedDots.add(a.dot() + " (" + key + ") acknowledged after " + site + ":" + floor + " was: a dot minted again");
            }
            acked.add(a);
            ackedFrontier.merge(a.dotSite(), a.dotCounter(), Math::max);
            ackedByKey.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).merge(a.dotSite(), a.dotCounter(), Math::max);
            timeline.event("write", site + " " + key + " " + a.dot());
            return a;
        } catch (DrillTarget.WriteRefused e) {
            refused.incrementAndGet();
            timeline.event("refused", site + " " + key + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Polls every {@link #POLL} until the condition holds or the time is up, printing a progress line
     * every few seconds. Returns the moment the condition was seen to hold, or null. Convergence seen
     * is a timeline event ({@code convergedLabel}) and a mark the convergence figures are measured to.
     */
    private Long await(Step.Condition condition, Duration within, String phase, String convergedLabel) {
        long start = timeline.now();
        long deadline = start + within.toMillis();
        long nextProgress = start + PROGRESS_EVERY.toMillis();
        String name = condition.name().toLowerCase(Locale.ROOT);
        while (true) {
            Map<String, Long> lag = new LinkedHashMap<>(target.linkLag());
            Map<String, DrillTarget.ReconcilerStatus> statuses = new LinkedHashMap<>();
            Map<String, String> unreachable = new TreeMap<>();
            for (String site : target.sites()) {
                try {
                    DrillTarget.ReconcilerStatus st = target.status(site);
                    statuses.put(site, st);
                    lag.put("reconciler@" + site, st.inputLag());
                } catch (RuntimeException e) {
                    unreachable.put(site, e.getMessage());
                    lag.put("reconciler@" + site, -1L);
                }
            }
            lag.forEach(timeline::sample);
            String why = unmet(condition, lag, statuses, unreachable);
            if (why == null) {
                long seen;
                if (condition == Step.Condition.CONVERGED) {
                    Timeline.Event e = timeline.event("converged", convergedLabel);
                    marks.add(new Mark(e, null, Mark.Kind.CONVERGED));
                    seen = e.atMillis();
                } else {
                    seen = timeline.now();
                }
                say(phase, name + " after " + StepContext.seconds(seen - start));
                return seen;
            }
            long now = timeline.now();
            if (now >= deadline) {
                say(phase, name + " NOT reached within " + within.toSeconds() + " s: " + why);
                return null;
            }
            if (now >= nextProgress) {
                say(phase, "… waiting for " + name + " (" + StepContext.seconds(now - start) + "): " + why);
                nextProgress = now + PROGRESS_EVERY.toMillis();
            }
            pause.accept(POLL.toMillis());
        }
    }

    /** Why the condition does not hold yet, or null when it does; from one poll's lag and statuses. */
    private String unmet(Step.Condition condition, Map<String, Long> lag, Map<String, DrillTarget.ReconcilerStatus> statuses,
                         Map<String, String> unreachable) {
        Map<String, Long> waiting = new TreeMap<>();
        lag.forEach((k, v) -> {
            if (v == null || v != 0) {
                waiting.put(k, v);
            }
        });
        if (condition == Step.Condition.DRAINED) {
            return waiting.isEmpty() ? null : "lag " + waiting;
        }
        if (!unreachable.isEmpty()) {
            return "reconciler unreachable: " + unreachable;
        }
        Map<String, Long> needed = new TreeMap<>(ackedFrontier);
        for (DrillTarget.ReconcilerStatus st : statuses.values()) {
            for (var e : needed.entrySet()) {
                if (st.frontier().getOrDefault(e.getKey(), 0L) < e.getValue()) {
                    return st.site() + " has not seen " + e.getKey() + " up to " + e.getValue() + " (frontier " + new TreeMap<>(st.frontier()) + ")";
                }
            }
        }
        if (condition == Step.Condition.REPLICATED) {
            return unseenByWriters();
        }
        if (!waiting.isEmpty()) {
            return "lag " + waiting;
        }
        DrillTarget.ReconcilerStatus first = statuses.values().iterator().next();
        for (DrillTarget.ReconcilerStatus st : statuses.values()) {
            if (st.inputLag() != 0) {
                return st.site() + " reconciler input lag " + st.inputLag();
            }
            if (!Objects.equals(st.digest(), first.digest()) || !st.frontier().equals(first.frontier())) {
                return "digests differ: " + statuses.values().stream().map(x -> x.site() + "=" + abbreviate(x.digest())).toList();
            }
        }
        return unseenByWriters();
    }

    /**
     * Which site's writer has not yet seen an acknowledged write, or null when every writer's view of
     * every written key covers them. A reconciler's frontier can cover a write before the site's writer,
     * which follows the converged topic, has read the merged record: a write issued in between would
     * be minted on the older view. So an await also waits for the writers (those no step has killed).
     */
    private String unseenByWriters() {
        for (String site : target.sites()) {
            if (writersDown.contains(site)) {
                continue;
            }
            Map<String, Map<String, Long>> seen = writerViews.computeIfAbsent(site, x -> new HashMap<>());
            for (var e : new TreeMap<>(ackedByKey).entrySet()) {
                String key = e.getKey();
                Map<String, Long> needed = new TreeMap<>(e.getValue());
                if (covers(seen.get(key), needed)) {
                    continue;
                }
                Optional<Map<String, Long>> view;
                try {
                    view = target.writerVector(site, key);
                } catch (RuntimeException ex) {
                    return "writer@" + site + " unreachable: " + ex.getMessage();
                }
                if (view.isEmpty()) {
                    return "writer@" + site + " has no record of " + key + " yet";
                }
                if (!covers(view.get(), needed)) {
                    return "writer@" + site + " has not seen " + key + " up to " + needed + " (its view " + new TreeMap<>(view.get()) + ")";
                }
                seen.put(key, view.get());
            }
        }
        return null;
    }

    private static boolean covers(Map<String, Long> vector, Map<String, Long> needed) {
        return vector != null && needed.entrySet().stream().allMatch(n -> vector.getOrDefault(n.getKey(), 0L) >= n.getValue());
    }

    private String describeState() {
        StringBuilder b = new StringBuilder();
        for (String site : target.sites()) {
            try {
                DrillTarget.ReconcilerStatus st = target.status(site);
                b.append(site).append(": ").append(st.counts()).append(" digest=").append(abbreviate(st.digest()))
                        .append(" frontier=").append(new TreeMap<>(st.frontier())).append("; ");
            } catch (RuntimeException e) {
                b.append(site).append(": unreachable (").append(e.getMessage()).append("); ");
            }
        }
        return b.append("lag ").append(new TreeMap<>(target.linkLag())).toString();
    }

    private void say(String phase, String what) {
        out.printf(Locale.ROOT, "[%6.1fs] %-8s %s%n", timeline.now() / 1000.0, phase, what);
        out.flush();
    }

    private static String abbreviate(String digest) {
        return digest == null ? "?" : digest.substring(0, Math.min(12, digest.length()));
    }

}
