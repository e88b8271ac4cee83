package io.netsplit.drills.check;

import io.netsplit.drills.scenario.Expectations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The drill's checkers: pure functions from what a drill recorded (acknowledged writes) and read
 * (one {@link SiteSnapshot} per site) to a {@link Verdict} with evidence. At most
 * {@value #MAX_EVIDENCE} evidence lines each, so a broken run of a big drill stays readable.
 *
 * <p>Each is also a {@link Checker} over a {@link CheckContext}; {@link #chosenFor} picks those a
 * scenario's expectations ask for. A new checker is a constant here and a line in {@code CHECKERS}.
 */
public final class Checkers {

    public static final int MAX_EVIDENCE = 20;

    public static final Checker CONVERGENCE = Checker.of("convergence", ctx -> convergence(ctx.snapshots()));
    public static final Checker GOLDEN_RECORDS = Checker.of("golden-records",
            ctx -> goldenRecords(ctx.expect().records(), ctx.snapshots()));
    public static final Checker STATUS = Checker.of("status",
            ctx -> statusCounts(ctx.expect().status(), ctx.snapshots(), ctx.baseline()));
    public static final Checker NO_LOST_WRITES = Checker.of("no-lost-writes",
            ctx -> noLostWrites(ctx.history(), ctx.snapshots(), ctx.reusedDots()));
    /** Replays the first site only: a replay reprocesses the whole input log, so one is what a drill can afford. */
    public static final Checker REPLAY_IDENTICAL = Checker.of("replay-identical", ctx -> {
        SiteSnapshot first = ctx.snapshots().get(0);
        Replayer.Replay replay = ctx.replayer().replay(first.site());
        return replayIdentical(first, replay.digest(), replay.decisionIds());
    });
    /** With the repairs made before the final reads as evidence. */
    public static final Checker AUDIT_COMPLETE = Checker.of("audit-complete", ctx -> {
        Verdict v = auditComplete(ctx.snapshots());
        List<String> evidence = new ArrayList<>(v.evidence());
        ctx.auditRepairs().forEach(r -> evidence.add("repair " + r));
        return new Verdict(v.checker(), v.passed(), v.summary(), evidence);
    });

    /** A checker and the expectations that ask for it. */
    private record Choice(Checker checker, Predicate<Expectations> askedFor) {
    }

    /** Every checker, in the order a drill runs and reports them. */
    private static final List<Choice> CHECKERS = List.of(
            new Choice(CONVERGENCE, x -> true),
            new Choice(GOLDEN_RECORDS, x -> !x.records().isEmpty()),
            new Choice(STATUS, x -> !x.status().isEmpty()),
            new Choice(NO_LOST_WRITES, Expectations::noLostWrites),
            new Choice(REPLAY_IDENTICAL, Expectations::replayIdentical),
            new Choice(AUDIT_COMPLETE, Expectations::auditComplete));

    private Checkers() {
    }

    /**
     * The checkers a scenario's expectations ask for, in the order they run: {@code convergence}
     * always, {@code golden-records} when it names records, {@code status} when it names counts, then
     * {@code no-lost-writes}, {@code replay-identical} and {@code audit-complete} when asked for.
     */
    public static List<Checker> chosenFor(Expectations expect) {
        return CHECKERS.stream().filter(c -> c.askedFor().test(expect)).map(Choice::checker).toList();
    }

    /** Every site holds the same digest, the same frontier and the same records. */
    public static Verdict convergence(List<SiteSnapshot> sites) {
        String name = CONVERGENCE.name();
        List<String> evidence = new ArrayList<>();
        SiteSnapshot first = sites.get(0);
        boolean same = true;
        for (SiteSnapshot s : sites) {
            evidence.add(s.site() + " digest=" + s.digest() + " keys=" + s.records().size() + " frontier=" + new TreeMap<>(s.frontier()));
            same &= Objects.equals(s.digest(), first.digest()) && s.frontier().equals(first.frontier());
        }
        List<String> differing = differingKeys(sites);
        if (same && differing.isEmpty()) {
            return Verdict.pass(name, "all " + sites.size() + " sites hold digest " + first.digest(), evidence);
        }
        differing.stream().limit(MAX_EVIDENCE).forEach(k -> evidence.add("differs: " + k));
        return Verdict.fail(name, "sites differ: " + differing.size() + " keys differ"
                + (same ? "" : ", digests or frontiers differ"), evidence);
    }

    private static List<String> differingKeys(List<SiteSnapshot> sites) {
        TreeSet<String> keys = new TreeSet<>();
        sites.forEach(s -> keys.addAll(s.records().keySet()));
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            SiteSnapshot.Record ref = sites.get(0).records().get(k);
            for (SiteSnapshot s : sites) {
                SiteSnapshot.Record r = s.records().get(k);
                if (!sameState(ref, r)) {
                    out.add(k + " at " + s.site() + ": " + describe(r) + " vs " + sites.get(0).site() + ": " + describe(ref));
                    break;
                }
            }
        }
        return out;
    }

    private static boolean sameState(SiteSnapshot.Record a, SiteSnapshot.Record b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.fields().equals(b.fields()) && a.deleted() == b.deleted() && a.vector().equals(b.vector());
    }

    private static String describe(SiteSnapshot.Record r) {
        return r == null ? "(absent)" : (r.deleted() ? "deleted " : "") + r.fields() + " vv=" + new TreeMap<>(r.vector());
    }

    /** The golden records of the scenario are what every site holds. */
    public static Verdict goldenRecords(Map<String, Expectations.RecordExpectation> expected, List<SiteSnapshot> sites) {
        String name = GOLDEN_RECORDS.name();
        List<String> evidence = new ArrayList<>();
        int bad = 0;
        for (var e : expected.entrySet()) {
            for (SiteSnapshot s : sites) {
                SiteSnapshot.Record r = s.records().get(e.getKey());
                String problem = mismatch(e.getValue(), r);
                if (problem != null) {
                    bad++;
                    evidence.add(e.getKey() + " at " + s.site() + ": " + problem);
                } else {
                    evidence.add(e.getKey() + " at " + s.site() + ": " + describe(r) + " v" + r.version() + " ok");
                }
            }
        }
        trim(evidence);
        return bad == 0
                ? Verdict.pass(name, expected.size() + " golden records match at every site", evidence)
                : Verdict.fail(name, bad + " golden record mismatches", evidence);
    }

    private static String mismatch(Expectations.RecordExpectation x, SiteSnapshot.Record r) {
        if (r == null) {
            return "missing";
        }
        if (x.fields().isPresent() && !normalize(x.fields().get()).equals(normalize(r.fields()))) {
            return "fields " + r.fields() + ", expected " + x.fields().get();
        }
        if (x.version().isPresent() && x.version().get() != r.version()) {
            return "version " + r.version() + ", expected " + x.version().get();
        }
        if (x.deleted().isPresent() && x.deleted().get() != r.deleted()) {
            return "deleted=" + r.deleted() + ", expected " + x.deleted().get();
        }
        if (x.conflictState().isPresent() && !x.conflictState().get().equalsIgnoreCase(r.conflictState())) {
            return "conflict state " + r.conflictState() + ", expected " + x.conflictState().get();
        }
        return null;
    }

    /** Numbers compare by value whatever their Java type (YAML 7 vs JSON 7.0 stay distinct only if they differ). */
    private static Map<String, Object> normalize(Map<String, Object> fields) {
        Map<String, Object> out = new TreeMap<>();
        fields.forEach((k, v) -> out.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
        return out;
    }

    /**
     * Each site's conflicts/merged/pending during the drill are the scenario's: the counts at the end
     * minus the counts at the start ({@code baseline}), so a drill can run on a lab with a history.
     */
    public static Verdict statusCounts(Map<String, Expectations.StatusCounts> expected, List<SiteSnapshot> sites,
                                       Map<String, Expectations.StatusCounts> baseline) {
        String name = STATUS.name();
        List<String> evidence = new ArrayList<>();
        int bad = 0;
        Map<String, SiteSnapshot> bySite = new HashMap<>();
        sites.forEach(s -> bySite.put(s.site(), s));
        for (var e : expected.entrySet()) {
            SiteSnapshot s = bySite.get(e.getKey());
            Expectations.StatusCounts base = baseline.getOrDefault(e.getKey(), new Expectations.StatusCounts(0, 0, 0));
            Expectations.StatusCounts got = s == null ? null
                    : new Expectations.StatusCounts(s.conflicts() - base.conflicts(), s.merged() - base.merged(),
                    s.pending() - base.pending());
            boolean ok = e.getValue().equals(got);
            bad += ok ? 0 : 1;
            evidence.add(e.getKey() + ": " + got + (ok ? "" : ", expected " + e.getValue()));
        }
        return bad == 0 ? Verdict.pass(name, "every site's counts match", evidence)
                : Verdict.fail(name, bad + " sites' counts differ", evidence);
    }

    /**
     * Every acknowledged write is accounted for at every site: the site received it (its converged
     * vector covers the dot) and it is the winner, an ancestor of another acknowledged write, or a
     * candidate named in one of the site's audit decisions.
     */
    public static Verdict noLostWrites(List<AckedWrite> acked, List<SiteSnapshot> sites) {
        return noLostWrites(acked, sites, List.of());
    }

    /**
     * As above, and {@code reusedDots} (the runner's record of writes acknowledged with a dot not above an
     * earlier acknowledged dot of their site) are lost too: a reused dot reaches every reconciler as a duplicate
     * or a stale event, so the write never wins anywhere, while the dot itself looks accounted for.
     */
    public static Verdict noLostWrites(List<AckedWrite> acked, List<SiteSnapshot> sites, List<String> reusedDots) {
        String name = NO_LOST_WRITES.name();
        List<String> evidence = new ArrayList<>();
        reusedDots.forEach(r -> evidence.add("lost everywhere: " + r));
        Map<String, List<AckedWrite>> byKey = new LinkedHashMap<>();
        acked.forEach(w -> byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w));
        int lost = reusedDots.size();
        for (SiteSnapshot s : sites) {
            for (AckedWrite w : acked) {
                SiteSnapshot.Record r = s.records().get(w.key());
                String why = null;
                if (r == null) {
                    why = "key absent";
                } else if (r.vector().getOrDefault(w.dotSite(), 0L) < w.dotCounter()) {
                    why = "never received (vector " + new TreeMap<>(r.vector()) + ")";
                } else if (!w.dot().equals(r.winnerDot())
                        && byKey.get(w.key()).stream().noneMatch(w::dominatedBy)
                        && !s.auditCandidates().contains(w.dot())) {
                    why = "neither winner, nor overwritten by a later write, nor named in an audit decision";
                }
                if (why != null) {
                    lost++;
                    evidence.add("lost at " + s.site() + ": " + w.key() + " " + w.dot() + " (" + w.site() + " v" + w.version() + "): " + why);
                }
            }
        }
        trim(evidence);
        return lost == 0
                ? Verdict.pass(name, acked.size() + " acknowledged writes accounted for at " + sites.size() + " sites", evidence)
                : Verdict.fail(name, lost + " acknowledged writes unaccounted for", evidence);
    }

    /** Reprocessing from the beginning gives the same digest and the same decision ids. */
    public static Verdict replayIdentical(SiteSnapshot live, String replayDigest, List<String> replayDecisionIds) {
        String name = REPLAY_IDENTICAL.name();
        List<String> evidence = new ArrayList<>();
        evidence.add(live.site() + " live digest=" + live.digest() + " replay digest=" + replayDigest);
        TreeSet<String> liveIds = new TreeSet<>(live.decisionIds());
        TreeSet<String> replayIds = new TreeSet<>(replayDecisionIds);
        evidence.add("decision ids: live " + liveIds.size() + ", replay " + replayIds.size());
        TreeSet<String> onlyLive = new TreeSet<>(liveIds);
        onlyLive.removeAll(replayIds);
        TreeSet<String> onlyReplay = new TreeSet<>(replayIds);
        onlyReplay.removeAll(liveIds);
        onlyLive.stream().limit(5).forEach(id -> evidence.add("only live: " + id));
        onlyReplay.stream().limit(5).forEach(id -> evidence.add("only replay: " + id));
        boolean ok = Objects.equals(live.digest(), replayDigest) && onlyLive.isEmpty() && onlyReplay.isEmpty();
        return ok ? Verdict.pass(name, "replay of " + live.site() + " reproduced digest and " + liveIds.size() + " decision ids", evidence)
                : Verdict.fail(name, "replay of " + live.site() + " differs", evidence);
    }

    /** Each site's audit store holds its audit sequence without a gap. */
    public static Verdict auditComplete(List<SiteSnapshot> sites) {
        String name = AUDIT_COMPLETE.name();
        List<String> evidence = new ArrayList<>();
        int gaps = 0;
        for (SiteSnapshot s : sites) {
            List<String> missing = s.auditMissing();
            gaps += missing.size();
            evidence.add(s.site() + ": " + s.auditStored() + " audit records"
                    + (missing.isEmpty() ? ", no gaps" : ", missing " + missing));
        }
        return gaps == 0 ? Verdict.pass(name, "no audit sequence gaps", evidence)
                : Verdict.fail(name, gaps + " audit sequence gaps", evidence);
    }

    /** Missing ranges in sequence numbers that should run 1..max: {@code [3-5, 9]}. */
    public static List<String> missingRanges(List<Long> sequences) {
        TreeSet<Long> present = new TreeSet<>(sequences);
        List<String> out = new ArrayList<>();
        if (present.isEmpty()) {
            return out;
        }
        long expected = 1;
        for (long seq : present) {
            if (seq > expected) {
                out.add(seq - 1 == expected ? String.valueOf(expected) : expected + "-" + (seq - 1));
            }
            expected = Math.max(expected, seq + 1);
        }
        return out;
    }

    private static void trim(List<String> evidence) {
        if (evidence.size() > MAX_EVIDENCE) {
            int more = evidence.size() - MAX_EVIDENCE;
            evidence.subList(MAX_EVIDENCE, evidence.size()).clear();
            evidence.add("(" + more + " more)");
        }
    }
}
