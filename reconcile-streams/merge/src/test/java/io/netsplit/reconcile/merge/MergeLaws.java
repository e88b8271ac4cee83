package io.netsplit.reconcile.merge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.netsplit.reconcile.merge.CausalHistories.History;

/**
 * The merge laws as plain check functions: each returns a counterexample description, or empty if
 * the law held for this history. The jqwik properties call them with generated histories; a test
 * calls them with a deliberately broken policy to show they have teeth. {@code config} is a
 * supplier so that each replica gets a fresh policy instance (a stateful, broken policy must not
 * share state between replicas).
 */
final class MergeLaws {

    private MergeLaws() {
    }

    /** What two replicas must agree on. */
    record Snapshot(SortedMap<String, MergeState> states, SortedMap<String, ConvergedView> views, TableDigest digest) {
    }

    static Snapshot replay(List<Change> delivery, Supplier<MergeConfig> config) {
        MergeTable table = new MergeTable(config.get());
        table.applyAll(delivery);
        return snapshot(table);
    }

    static Snapshot snapshot(MergeTable table) {
        return new Snapshot(new TreeMap<>(table.states()), table.views(), table.digest());
    }

    /** Law 1: any permutation of the same events gives the identical state, view and digest. */
    static Optional<String> permutationInvariance(History h, Supplier<MergeConfig> config, Random random) {
        Snapshot expected = replay(h.events(), config);
        List<Change> shuffled = new ArrayList<>(h.events());
        Collections.shuffle(shuffled, random);
        return differ("minting order", expected, "permutation " + dots(shuffled), replay(shuffled, config));
    }

    /** Law 2: delivering events several times, in any order, changes nothing. */
    static Optional<String> duplicateInvariance(History h, Supplier<MergeConfig> config, Random random) {
        Snapshot expected = replay(h.events(), config);
        List<Change> delivery = new ArrayList<>();
        for (Change c : h.events()) {
            int copies = 1 + random.nextInt(3);
            for (int i = 0; i < copies; i++) {
                delivery.add(c);
            }
        }
        Collections.shuffle(delivery, random);
        return differ("each once", expected, "with duplicates " + dots(delivery), replay(delivery, config));
    }

    /**
     * Law 3: several replicas — each receiving every origin site's stream in order but interleaved
     * in random batches (as Streams reads several mirrored topics), one of them also restarting from
     * its encoded state between batches, and one receiving a random permutation with redeliveries —
     * all converge to the identical state.
     */
    static Optional<String> replicasConverge(History h, Supplier<MergeConfig> config, Random random, int replicas) {
        Snapshot first = null;
        String firstName = null;
        for (int r = 0; r < replicas; r++) {
            MergeTable table = new MergeTable(config.get());
            boolean restarts = r % 2 == 1;
            List<List<Change>> batches = r == replicas - 1 ? randomWithRedelivery(h, random) : interleavedBatches(h, random);
            for (List<Change> batch : batches) {
                table.applyAll(batch);
                if (restarts) {
                    table = restart(table, config);
                }
            }
            Snapshot s = snapshot(table);
            String name = "replica " + r + (restarts ? " (restarting)" : "") + " batches " + batches.stream().map(MergeLaws::dots).toList();
            if (first == null) {
                first = s;
                firstName = name;
            } else {
                Optional<String> d = differ(firstName, first, name, s);
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Law 4: while applying in a random order, the key's vector never shrinks, every event that
     * leaves the frontier is dominated by one that stays, a STALE/DUPLICATE/REJECTED event changes
     * no converged value; and at the end, the converged value is the same as from the undominated
     * events alone (plus, for field-merge, the per-field writers those kept as causal information).
     */
    static Optional<String> frontierMonotone(History h, Supplier<MergeConfig> config, Random random) {
        List<Change> order = new ArrayList<>(h.events());
        Collections.shuffle(order, random);
        MergeConfig cfg = config.get();
        Merge merge = new Merge(cfg);
        Map<String, MergeState> states = new TreeMap<>();
        for (Change c : order) {
            MergeState before = states.getOrDefault(c.key(), MergeState.empty(c.key()));
            Merge.Applied applied = merge.apply(before, c);
            MergeState after = applied.state();
            if (!after.vector().dominates(before.vector())) {
                return Optional.of("vector shrank applying " + c.dot() + ": " + before.vector() + " -> " + after.vector());
            }
            for (Change old : before.frontier()) {
                boolean kept = after.frontier().contains(old);
                boolean dominated = after.frontier().stream().anyMatch(n -> old.vector().before(n.vector()));
                if (!kept && !dominated) {
                    return Optional.of(old.dot() + " left the frontier without a dominating event, applying " + c.dot());
                }
            }
            boolean noOp = applied.decisions().stream().anyMatch(d -> d.kind() == DecisionKind.STALE
                    || d.kind() == DecisionKind.DUPLICATE || d.kind() == DecisionKind.REJECTED);
            if (noOp && !before.isEmpty() && !merge.converged(before).equals(merge.converged(after))) {
                return Optional.of("no-op " + applied.decisions().get(0).kind() + " of " + c.dot() + " changed the converged view:\n  "
                        + merge.converged(before) + "\n  " + merge.converged(after) + "\n  order " + dots(order));
            }
            states.put(c.key(), after);
        }
        // The converged value does not depend on dominated events: drop every event that another
        // event of the key dominates and compare. For field-merge, "dominated" is per field (docs/architecture.md
        // §4 keeps a frontier per field): an event is dropped only if it is also dominated, for each
        // field it wrote, by another writer of that field or a delete (a delete: by another delete).
        boolean perField = cfg.policyFor("k0").mode() == MergePolicy.Mode.FIELD_MERGE;
        List<Change> undominated = h.events().stream()
                .filter(e -> !irrelevant(e, h.events(), perField))
                .toList();
        Snapshot all = replay(h.events(), config);
        Snapshot top = replay(undominated, config);
        for (String key : all.views().keySet()) {
            ConvergedView a = all.views().get(key);
            ConvergedView t = top.views().get(key);
            if (!a.equals(t)) {
                return Optional.of("converged value of " + key + " depends on dominated events:\n  all events:        " + a
                        + "\n  undominated only:  " + t);
            }
        }
        return Optional.empty();
    }

    /**
     * Law 5: every event is accounted for — it is the key's winner, dominated by the frontier (its
     * effect is inside a later write), or named as a candidate that lost in a conflict or manual
     * resolution decision.
     */
    static Optional<String> everyEventAccountedFor(History h, Supplier<MergeConfig> config, Random random) {
        List<Change> order = new ArrayList<>(h.events());
        Collections.shuffle(order, random);
        MergeTable table = new MergeTable(config.get());
        table.applyAll(order);
        Set<Dot> losers = new HashSet<>();
        for (Decision d : table.log().decisions()) {
            if (d.kind().isConflict() || d.kind() == DecisionKind.MANUAL_RESOLUTION) {
                losers.addAll(d.losers());
            }
        }
        for (Change e : h.events()) {
            ConvergedView view = table.view(e.key());
            MergeState state = table.states().get(e.key());
            boolean winner = view.winner().equals(e.dot());
            boolean dominated = state.frontier().stream().anyMatch(f -> e.vector().before(f.vector()));
            if (!winner && !dominated && !losers.contains(e.dot())) {
                return Optional.of(e.dot() + " of " + e.key() + " is neither the winner, dominated, nor a named loser; frontier "
                        + state.frontierDots());
            }
        }
        return Optional.empty();
    }

    private static boolean irrelevant(Change e, List<Change> all, boolean perField) {
        boolean dominated = all.stream().anyMatch(o -> o.key().equals(e.key()) && e.vector().before(o.vector()));
        if (!dominated || !perField) {
            return dominated;
        }
        if (e.isDelete()) {
            return all.stream().anyMatch(o -> o.key().equals(e.key()) && o.isDelete() && e.vector().before(o.vector()));
        }
        for (String field : e.changedFields()) {
            boolean hidden = all.stream().anyMatch(o -> o.key().equals(e.key()) && (o.isDelete() || o.changedFields().contains(field))
                    && e.vector().before(o.vector()));
            if (!hidden) {
                return false;
            }
        }
        return true;
    }

    static MergeTable restart(MergeTable table, Supplier<MergeConfig> config) {
        Map<String, byte[]> stored = new LinkedHashMap<>();
        table.states().forEach((k, s) -> stored.put(k, MergeStateCodec.encode(s)));
        MergeTable restarted = new MergeTable(config.get(), table.log());
        stored.values().forEach(bytes -> restarted.load(MergeStateCodec.decode(bytes)));
        return restarted;
    }

    private static List<List<Change>> interleavedBatches(History h, Random random) {
        Map<String, List<Change>> bySite = new TreeMap<>();
        for (Change c : h.events()) {
            bySite.computeIfAbsent(c.site(), s -> new ArrayList<>()).add(c); // origin order, as MM2 keeps it
        }
        List<List<Change>> streams = new ArrayList<>(bySite.values());
        int[] next = new int[streams.size()];
        List<List<Change>> batches = new ArrayList<>();
        int remaining = h.events().size();
        while (remaining > 0) {
            int s = random.nextInt(streams.size());
            int n = Math.min(1 + random.nextInt(4), streams.get(s).size() - next[s]);
            if (n <= 0) {
                continue;
            }
            batches.add(List.copyOf(streams.get(s).subList(next[s], next[s] + n)));
            next[s] += n;
            remaining -= n;
        }
        return batches;
    }

    private static List<List<Change>> randomWithRedelivery(History h, Random random) {
        List<Change> delivery = new ArrayList<>(h.events());
        for (Change c : h.events()) {
            if (random.nextInt(4) == 0) {
                delivery.add(c);
            }
        }
        Collections.shuffle(delivery, random);
        List<List<Change>> batches = new ArrayList<>();
        for (int i = 0; i < delivery.size(); i += 5) {
            batches.add(delivery.subList(i, Math.min(delivery.size(), i + 5)));
        }
        return batches;
    }

    /**
     * Law 6 (causality across siblings): after every delivery of a random order with redeliveries, a key's
     * {@code maxHlc} is the highest HLC of every event received for it so far — winner, siblings and the events they
     * dominate alike — because a writer that mints past the {@code maxHlc} it saw gives every event a reading above
     * those of the events it dominates. Views are compared whole by laws 1–3, so it is also order- and
     * duplicate-free.
     */
    static Optional<String> maxHlcCoversEveryReceivedEvent(History h, Supplier<MergeConfig> config, Random random) {
        MergeTable table = new MergeTable(config.get());
        Map<String, Hlc> highest = new TreeMap<>();
        for (Change c : randomWithRedelivery(h, random).stream().flatMap(List::stream).toList()) {
            table.apply(c);
            highest.merge(c.key(), c.hlc(), Hlc::max);
            Hlc view = table.view(c.key()).maxHlc();
            if (!view.equals(highest.get(c.key()))) {
                return Optional.of("after " + c.key() + "/" + c.dot() + " the view's maxHlc is " + view
                        + " but the key has received " + highest.get(c.key()));
            }
        }
        return Optional.empty();
    }

    static Optional<String> differ(String nameA, Snapshot a, String nameB, Snapshot b) {
        for (String key : union(a.views().keySet(), b.views().keySet())) {
            ConvergedView va = a.views().get(key);
            ConvergedView vb = b.views().get(key);
            if (!Objects.equals(va, vb)) {
                return Optional.of("converged view of " + key + " differs\n  " + nameA + ": " + va + "\n  " + nameB + ": " + vb);
            }
            MergeState sa = a.states().get(key);
            MergeState sb = b.states().get(key);
            if (!Objects.equals(sa, sb)) {
                return Optional.of("merge state of " + key + " differs\n  " + nameA + ": " + sa + "\n  " + nameB + ": " + sb);
            }
            if (!Arrays.equals(MergeStateCodec.encode(sa), MergeStateCodec.encode(sb))) {
                return Optional.of("encoded state of " + key + " differs between " + nameA + " and " + nameB);
            }
        }
        if (!a.digest().equals(b.digest())) {
            return Optional.of("table digest differs: " + nameA + " " + a.digest() + ", " + nameB + " " + b.digest());
        }
        return Optional.empty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    static String dots(List<Change> changes) {
        return changes.stream().map(c -> c.key() + "/" + c.dot()).toList().toString();
    }
}
