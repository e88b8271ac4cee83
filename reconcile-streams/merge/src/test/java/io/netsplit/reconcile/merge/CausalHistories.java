package io.netsplit.reconcile.merge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generates multi-site causal histories the way the real system makes them: 2–5 sites each write
 * from their own converged view (vector = what they received, joined, plus the new dot; version =
 * 1 + highest seen; HLC received from the view; PATCH keeps the view's other fields), and deliver
 * prefixes of what they know to each other — so writes see some events and not others, and a site
 * can receive a write before the writes it saw. Keys are skewed to a hot key; ops mix upserts,
 * patches and deletes; values cover all five field types. Shrinking shortens the script.
 */
public final class CausalHistories {

    private CausalHistories() {
    }

    static final List<String> SITE_NAMES = List.of("us-east", "eu-west", "ap-south", "sa-east", "af-north");

    /** One step of a script. */
    public sealed interface Step {
    }

    public record Write(int site, int key, Op op, int field, int value) implements Step {
    }

    public record Deliver(int from, int to, int limit) implements Step {
    }

    /** A generated history: every event minted once, in minting order, and the sites involved. */
    public record History(List<String> sites, List<Change> events) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("History(sites=" + sites + ", " + events.size() + " events)");
            for (Change c : events) {
                b.append("\n  ").append(c.key()).append(' ').append(c.dot()).append(' ').append(c.vector())
                        .append(" v").append(c.version()).append(" hlc=").append(c.hlc()).append(' ').append(c.op())
                        .append(' ').append(c.fields()).append(" changed=").append(c.changedFields());
            }
            return b.toString();
        }
    }

    static Arbitrary<Step> steps(int sites) {
        Arbitrary<Integer> site = Arbitraries.integers().between(0, sites - 1);
        Arbitrary<Integer> key = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, 0), net.jqwik.api.Tuple.of(2, 1), net.jqwik.api.Tuple.of(1, 2), net.jqwik.api.Tuple.of(1, 3));
        Arbitrary<Op> op = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(3, Op.PATCH), net.jqwik.api.Tuple.of(2, Op.UPSERT), net.jqwik.api.Tuple.of(1, Op.DELETE));
        Arbitrary<Step> write = Combinators.combine(site, key, op, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 19)).as(Write::new);
        Arbitrary<Step> deliver = Combinators.combine(site, site, Arbitraries.integers().between(1, 8)).as(Deliver::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, write), net.jqwik.api.Tuple.of(2, deliver));
    }

    /** Histories over 2–5 sites and up to {@code maxSteps} steps. */
    static Arbitrary<History> histories(int maxSteps) {
        return Arbitraries.integers().between(2, 5).flatMap(sites ->
                steps(sites).list().ofMinSize(1).ofMaxSize(maxSteps).map(script -> simulate(sites, script)));
    }

    static Arbitrary<History> histories() {
        return histories(45);
    }

    /** The site-writers' tie-break config while generating; the laws hold for any config. */
    static MergeConfig writerConfig() {
        return MergeConfig.of(new SiteOrder(SITE_NAMES), MergePolicy.fieldMerge());
    }

    public static History simulate(int siteCount, List<Step> script) {
        List<String> sites = SITE_NAMES.subList(0, siteCount);
        List<MergeTable> tables = new ArrayList<>();
        List<List<Change>> received = new ArrayList<>(); // per site, in receipt order
        List<Set<Dot>> known = new ArrayList<>();
        int[][] offered = new int[siteCount][siteCount]; // [from][to]: prefix of from's receipts `to` already has
        long[] counters = new long[siteCount];
        Hlc[] clocks = new Hlc[siteCount];
        for (int i = 0; i < siteCount; i++) {
            tables.add(new MergeTable(writerConfig()));
            received.add(new ArrayList<>());
            known.add(new HashSet<>());
            clocks[i] = Hlc.zero();
        }
        List<Change> events = new ArrayList<>();
        int stepNo = 0;
        for (Step step : script) {
            stepNo++;
            switch (step) {
                case Write w -> {
                    String key = "k" + w.key();
                    ConvergedView view = tables.get(w.site()).view(key);
                    Change c = mint(sites.get(w.site()), ++counters[w.site()], key, view, w, stepNo, clocks);
                    clocks[w.site()] = c.hlc();
                    tables.get(w.site()).apply(c);
                    received.get(w.site()).add(c);
                    known.get(w.site()).add(c.dot());
                    events.add(c);
                }
                case Deliver d -> {
                    if (d.from() == d.to()) {
                        continue;
                    }
                    List<Change> source = received.get(d.from());
                    int n = 0;
                    int i = offered[d.from()][d.to()];
                    for (; i < source.size() && n < d.limit(); i++) {
                        Change c = source.get(i);
                        if (known.get(d.to()).add(c.dot())) {
                            tables.get(d.to()).apply(c);
                            received.get(d.to()).add(c);
                            n++;
                        }
                    }
                    offered[d.from()][d.to()] = i;
                }
            }
        }
        return new History(sites, List.copyOf(events));
    }

    private static Change mint(String site, long counter, String key, ConvergedView view, Write w, int stepNo, Hlc[] clocks) {
        int siteIndex = SITE_NAMES.indexOf(site);
        // physical clocks skewed per site, so HLC order and version order disagree sometimes
        long now = 1_000L + stepNo * 10L + (siteIndex % 2 == 0 ? 25 : -25) * siteIndex;
        VersionVector seen = view == null ? VersionVector.empty() : view.vector();
        long version = view == null ? 1 : view.maxVersion() + 1;
        Hlc hlc = view == null ? clocks[siteIndex].tick(now) : clocks[siteIndex].receive(view.maxHlc(), now);
        SortedMap<String, FieldValue> before = view == null || view.deleted() ? new TreeMap<>() : view.fields();
        String field = "f" + w.field();
        FieldValue value = value(w.value());
        TreeMap<String, FieldValue> fields = new TreeMap<>();
        Set<String> changed = new TreeSet<>();
        switch (w.op()) {
            case PATCH -> {
                fields.putAll(before);
                fields.put(field, value);
                changed.add(field);
            }
            case UPSERT -> {
                fields.put(field, value);
                changed.addAll(before.keySet());
                changed.add(field);
            }
            case DELETE -> changed.addAll(before.keySet());
        }
        return Change.builder(key, new Dot(site, counter)).saw(seen).version(version).hlc(hlc).op(w.op())
                .fields(fields).changed(changed).wallClockMillis(now).build();
    }

    static FieldValue value(int v) {
        return switch (v % 5) {
            case 0 -> FieldValue.NULL;
            case 1 -> FieldValue.of(v % 2 == 0);
            case 2 -> FieldValue.of((long) v);
            case 3 -> FieldValue.of(v / 4.0);
            default -> FieldValue.of("s" + v);
        };
    }
}
