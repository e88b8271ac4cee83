package io.netsplit.drills.run;

import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.check.Checkers;
import io.netsplit.drills.check.SiteSnapshot;
import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.Timeline;
import io.netsplit.drills.scenario.Expectations;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.Step;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;


/**
 * Runs a scenario in phases, as Jepsen's Maelstrom does: load with faults (the steps), heal every
 * link, settle until the queues are drained and the digests agree, final reads, then the checkers
 * over the recorded history. Prints a transcript as it goes and returns the report.
 */
public final class DrillRunner {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(250);

    private final DrillTarget target;
    private final PrintWriter out;
    private final Timeline timeline = new Timeline();
    private final List<AckedWrite> acked = Collections.synchronizedList(new ArrayList<>());
    private final List<Verdict> stepFailures = new ArrayList<>();
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final List<java.util.concurrent.Future<?>> background = new ArrayList<>();
    private final java.util.concurrent.ExecutorService loads = java.util.concurrent.Executors.newCachedThreadPool(
            r -> Thread.ofPlatform().daemon().name("drill-load").unstarted(r));
    private final Map<String, Expectations.StatusCounts> baseline = new LinkedHashMap<>();
    private Long lastHealAt;

    public DrillRunner(DrillTarget target, PrintWriter out) {
        this.target = target;
        this.out = out;
    }

    /** The acknowledged writes so far, in order. */
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
        for (Step step : s.steps()) {
            execute(s, step);
        }
        phases.put("2-load-and-faults", timeline.now() - t);

        t = timeline.now();
        joinBackgroundLoads();
        loads.shutdown();
        target.healAll();
        lastHealAt = timeline.now();
        timeline.event("heal", "heal every link");
        say("heal", "every link healed");
        phases.put("3-heal", timeline.now() - t);

        t = timeline.now();
        boolean settled = await(Step.Condition.CONVERGED, s.expect().within(), "settle");
        Long convergedAfterHeal = settled ? timeline.now() - lastHealAt : null;
        if (settled) {
            timeline.event("converged", "every site holds the same digest");
        } else {
            stepFailures.add(Verdict.fail("settle", "not converged within " + s.expect().within().toSeconds()
                    + " s of the last heal", List.of(describeState())));
        }
        phases.put("4-settle", timeline.now() - t);

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
        verdicts.add(Checkers.convergence(snapshots));
        if (!s.expect().records().isEmpty()) {
            verdicts.add(Checkers.goldenRecords(s.expect().records(), snapshots));
        }
        if (!s.expect().status().isEmpty()) {
            verdicts.add(Checkers.statusCounts(s.expect().status(), snapshots, baseline));
        }
        if (s.expect().noLostWrites()) {
            verdicts.add(Checkers.noLostWrites(history(), snapshots));
        }
        if (s.expect().replayIdentical()) {
            SiteSnapshot first = snapshots.get(0);
            DrillTarget.Replay replay = target.replay(first.site());
            verdicts.add(Checkers.replayIdentical(first, replay.digest(), replay.decisionIds()));
        }
        if (s.expect().auditComplete()) {
            Verdict v = Checkers.auditComplete(snapshots);
            List<String> evidence = new ArrayList<>(v.evidence());
            repairs.forEach(r -> evidence.add("repair " + r));
            verdicts.add(new Verdict(v.checker(), v.passed(), v.summary(), evidence));
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
            say("result", String.format(Locale.ROOT, "converged %.1f s after the last heal", convergedAfterHeal / 1000.0));
        }
        long pass = verdicts.stream().filter(Verdict::passed).count();
        say("result", (passed ? "PASSED" : "FAILED") + " (" + pass + "/" + verdicts.size() + " checks)");
        return new DrillReport(s.id(), s.seed(), passed, setupMillis + timeline.now(), convergedAfterHeal, phases,
                acked.size(), refused.get(), digests, status, verdicts, timeline.events(), timeline.samples());
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
        for (java.util.concurrent.Future<?> f : background) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("background load failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("drill interrupted", e);
            }
        }
        background.clear();
    }

    private void execute(Scenario s, Step step) {
        switch (step) {
            case Step.Write w -> {
                List<String> dots = new ArrayList<>();
                for (int i = 0; i < w.repeat(); i++) {
                    AckedWrite a = writeOnce(w.site(), w.key(), w.op(), w.fields());
                    if (a != null) {
                        dots.add(a.dot() + " v" + a.version());
                    }
                }
                say("write", w.op().name().toLowerCase(Locale.ROOT) + " " + w.site() + " " + w.key() + " " + w.fields()
                        + (w.repeat() > 1 ? " ×" + w.repeat() : "") + " → " + summarize(dots));
            }
            case Step.Generate g -> {
                if (g.background()) {
                    say("load", "background load of " + g.count() + " writes started");
                    background.add(loads.submit(() -> generate(s, g)));
                } else {
                    generate(s, g);
                }
            }
            case Step.Isolate i -> {
                target.isolate(i.a(), i.b(), i.oneWay(), i.style());
                timeline.event("fault", "isolate " + i.a() + (i.oneWay() ? " -> " : " <-> ") + i.b());
                say("fault", "isolate " + i.a() + (i.oneWay() ? " → " : " ↔ ") + i.b() + " ("
                        + i.style().name().toLowerCase(Locale.ROOT) + "): partition active");
            }
            case Step.Heal h -> {
                target.heal(h.a(), h.b());
                lastHealAt = timeline.now();
                timeline.event("heal", "heal " + h.a() + " <-> " + h.b());
                say("heal", "heal " + h.a() + " ↔ " + h.b() + ": partition healed");
            }
            case Step.Flap f -> {
                long half = f.period().toMillis() / 2;
                for (int n = 0; n < f.times(); n++) {
                    target.isolate(f.a(), f.b(), false, Step.CutStyle.REFUSE);
                    timeline.event("fault", "flap " + (n + 1) + " cut");
                    sleep(half);
                    target.heal(f.a(), f.b());
                    lastHealAt = timeline.now();
                    timeline.event("heal", "flap " + (n + 1) + " heal");
                    sleep(f.period().toMillis() - half);
                }
                say("fault", "flapped " + f.a() + " ↔ " + f.b() + " " + f.times() + " times, period " + f.period().toMillis() + " ms");
            }
            case Step.Latency l -> {
                target.latency(l.a(), l.b(), l.latency(), l.jitter());
                timeline.event("degrade", "latency " + l.latency().toMillis() + "ms ±" + l.jitter().toMillis());
                say("fault", "latency " + l.a() + " ↔ " + l.b() + " " + l.latency().toMillis() + " ms ± " + l.jitter().toMillis() + " ms");
            }
            case Step.Bandwidth b -> {
                target.bandwidth(b.a(), b.b(), b.kilobytesPerSecond());
                timeline.event("degrade", "bandwidth " + b.kilobytesPerSecond() + " KB/s");
                say("fault", "bandwidth " + b.a() + " ↔ " + b.b() + " " + b.kilobytesPerSecond() + " KB/s");
            }
            case Step.Wait w -> {
                say("wait", w.duration().toMillis() + " ms");
                sleep(w.duration().toMillis());
            }
            case Step.Kill k -> {
                target.kill(k.component(), k.site());
                timeline.event("crash", "kill " + k.component().labName + "@" + k.site());
                say("crash", "killed " + k.component().labName + "@" + k.site() + " (SIGKILL)");
            }
            case Step.Restart r -> {
                long t0 = timeline.now();
                target.restart(r.component(), r.site());
                timeline.event("restart", "restart " + r.component().labName + "@" + r.site());
                say("restart", r.component().labName + "@" + r.site() + " ready in " + seconds(timeline.now() - t0));
            }
            case Step.LoseAudit l -> {
                long n = target.loseAudit(l.site(), l.from(), l.to());
                timeline.event("fault", "lose audit " + l.site() + " " + l.from() + "-" + l.to());
                say("fault", "deleted " + n + " audit records " + l.from() + ".." + l.to() + " from " + l.site() + "'s store");
            }
            case Step.Await a -> {
                joinBackgroundLoads();
                if (!await(a.condition(), s.expect().within(), "await")) {
                    stepFailures.add(Verdict.fail("await " + a.condition().name().toLowerCase(Locale.ROOT) + " (line " + a.line() + ")",
                            "did not hold within " + s.expect().within().toSeconds() + " s", List.of(describeState())));
                }
            }
        }
    }

    /** Seeded load: the same scenario and seed give the same sequence of writes. */
    private void generate(Scenario s, Step.Generate g) {
        Random random = new Random(s.seed() * 31 + g.line());
        int hotCount = (int) Math.ceil(g.keys() * g.hotKeys());
        int writes = 0;
        int conflicts = 0;
        long t0 = timeline.now();
        for (int n = 0; n < g.count(); n++) {
            int k;
            if (hotCount > 0 && random.nextDouble() < g.hotWeight()) {
                k = random.nextInt(hotCount);
            } else {
                k = random.nextInt(g.keys());
            }
            String key = g.keyPrefix() + k;
            String site = g.sites().get(random.nextInt(g.sites().size()));
            Map<String, Object> fields = new TreeMap<>(Map.of("n", (long) n, "by", site));
            writes += writeOnce(site, key, Step.Op.UPSERT, fields) != null ? 1 : 0;
            if (g.conflictRate() > 0 && random.nextDouble() < g.conflictRate()) {
                List<String> others = new ArrayList<>(g.sites());
                others.remove(site);
                String other = others.get(random.nextInt(others.size()));
                Map<String, Object> theirs = new TreeMap<>(Map.of("n", (long) n, "by", other));
                if (writeOnce(other, key, Step.Op.UPSERT, theirs) != null) {
                    writes++;
                    conflicts++;
                }
            }
        }
        say("load", "generated " + writes + " acknowledged writes over " + g.keys() + " keys (" + conflicts
                + " concurrent pairs attempted) in " + seconds(timeline.now() - t0));
    }

    private AckedWrite writeOnce(String site, String key, Step.Op op, Map<String, Object> fields) {
        try {
            AckedWrite a = target.write(site, key, op, fields, timeline.now());
            acked.add(a);
            timeline.event("write", site + " " + key + " " + a.dot());
            return a;
        } catch (DrillTarget.WriteRefused e) {
            refused.incrementAndGet();
            timeline.event("refused", site + " " + key + ": " + e.getMessage());
            return null;
        }
    }

    /** Polls until the condition holds or the time is up; prints a progress line every few seconds. */
    private boolean await(Step.Condition condition, Duration within, String phase) {
        long start = timeline.now();
        long deadline = start + within.toMillis();
        long nextProgress = start + PROGRESS_EVERY.toMillis();
        String name = condition.name().toLowerCase(Locale.ROOT);
        while (true) {
            Map<String, Long> lag = target.lag();
            lag.forEach(timeline::sample);
            String why = unmet(condition, lag);
            if (why == null) {
                say(phase, name + " after " + seconds(timeline.now() - start));
                return true;
            }
            long now = timeline.now();
            if (now >= deadline) {
                say(phase, name + " NOT reached within " + within.toSeconds() + " s: " + why);
                return false;
            }
            if (now >= nextProgress) {
                say(phase, "… waiting for " + name + " (" + seconds(now - start) + "): " + why);
                nextProgress = now + PROGRESS_EVERY.toMillis();
            }
            sleep(POLL.toMillis());
        }
    }

    /** Why the condition does not hold yet, or null when it does. */
    private String unmet(Step.Condition condition, Map<String, Long> lag) {
        Map<String, Long> waiting = new TreeMap<>();
        lag.forEach((k, v) -> {
            if (v == null || v != 0) {
                waiting.put(k, v);
            }
        });
        if (condition == Step.Condition.DRAINED) {
            return waiting.isEmpty() ? null : "lag " + waiting;
        }
        Map<String, Long> needed = new TreeMap<>();
        for (AckedWrite w : history()) {
            needed.merge(w.dotSite(), w.dotCounter(), Math::max);
        }
        Map<String, DrillTarget.ReconcilerStatus> statuses = new LinkedHashMap<>();
        for (String site : target.sites()) {
            DrillTarget.ReconcilerStatus st = target.status(site);
            statuses.put(site, st);
            for (var e : needed.entrySet()) {
                if (st.frontier().getOrDefault(e.getKey(), 0L) < e.getValue()) {
                    return site + " has not seen " + e.getKey() + " up to " + e.getValue() + " (frontier " + new TreeMap<>(st.frontier()) + ")";
                }
            }
        }
        if (condition == Step.Condition.REPLICATED) {
            return null;
        }
        if (!waiting.isEmpty()) {
            return "lag " + waiting;
        }
        DrillTarget.ReconcilerStatus first = statuses.values().iterator().next();
        for (DrillTarget.ReconcilerStatus st : statuses.values()) {
            if (st.inputLag() != 0) {
                return st.site() + " reconciler input lag " + st.inputLag();
            }
            if (!java.util.Objects.equals(st.digest(), first.digest()) || !st.frontier().equals(first.frontier())) {
                return "digests differ: " + statuses.values().stream().map(x -> x.site() + "=" + abbreviate(x.digest())).toList();
            }
        }
        return null;
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
        return b.append("lag ").append(new TreeMap<>(target.lag())).toString();
    }

    private void say(String phase, String what) {
        out.printf(Locale.ROOT, "[%6.1fs] %-8s %s%n", timeline.now() / 1000.0, phase, what);
        out.flush();
    }

    private static String summarize(List<String> dots) {
        if (dots.size() <= 3) {
            return String.join(", ", dots);
        }
        return dots.get(0) + " … " + dots.get(dots.size() - 1);
    }

    private static String abbreviate(String digest) {
        return digest == null ? "?" : digest.substring(0, Math.min(12, digest.length()));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("drill interrupted", e);
        }
    }

}
