package io.netsplit.reconcile.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The merge: {@code apply(state, event) -> (state', decisions)} and {@code converged(state)}. Pure:
 * the result depends only on the arguments and the {@link MergeConfig}, never on a clock, a random
 * source or arrival history, so every site that received the same set of events for a key holds the
 * same state and the same converged view, whatever the order and however often each arrived.
 *
 * <p>Safe to share between threads (it holds only the immutable config).
 */
public final class Merge {

    private final MergeConfig config;

    public Merge(MergeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public MergeConfig config() {
        return config;
    }

    /** The new state and the decisions made while applying one event (possibly none). */
    public record Applied(MergeState state, List<Decision> decisions) {
        public Applied {
            Objects.requireNonNull(state, "state");
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * Applies one received event to the key's state.
     *
     * <ul>
     *   <li>dot already in the frontier, same content: DUPLICATE, state unchanged;
     *   <li>dominated by a frontier event: STALE; the frontier and converged value are unchanged
     *       (only the per-field causal information may learn the writer of a field). Field-merge
     *       only: if that writer reveals a concurrent change of a field and so changes the merged
     *       value, a CONCURRENT_UPDATE naming it instead;
     *   <li>dot already covered by the key's vector but not dominated (or same dot, other content): REJECTED;
     *   <li>otherwise the event joins the frontier, evicting the events it dominates; if the frontier
     *       then holds more than one event, a CONCURRENT_UPDATE or DELETE_VS_UPDATE decision; if it
     *       ends a pending manual conflict, a MANUAL_RESOLUTION decision.
     * </ul>
     *
     * @throws IllegalArgumentException if the event is for another key
     */
    public Applied apply(MergeState state, Change change) {
        if (!state.key().equals(change.key())) {
            throw new IllegalArgumentException("change " + change.dot() + " is for key '" + change.key()
                    + "', not for this state's key '" + state.key() + "'");
        }
        MergePolicy policy = config.policyFor(state.key());
        List<Change> frontier = state.frontier();

        for (Change f : frontier) {
            if (f.dot().equals(change.dot())) {
                if (f.equals(change)) {
                    return new Applied(state, List.of(single(state, policy, DecisionKind.DUPLICATE, change, f,
                            "duplicate delivery of " + change.dot() + ", already in the frontier")));
                }
                return new Applied(state, List.of(single(state, policy, DecisionKind.REJECTED, change, f,
                        "dot " + change.dot() + " reused with different content; the received event is kept")));
            }
        }
        for (Change f : frontier) {
            if (change.vector().compare(f.vector()) == Causality.BEFORE) {
                MergeState next = state.withFieldWrites(change);
                if (next != state && policy.mode() == MergePolicy.Mode.FIELD_MERGE && frontier.size() > 1) {
                    Decision late = lateFieldWrite(state, next, change, policy);
                    if (late != null) {
                        return new Applied(next, List.of(late));
                    }
                }
                return new Applied(next, List.of(single(state, policy, DecisionKind.STALE, change, f,
                        change.dot() + " " + change.vector() + " is dominated by " + f.dot() + " " + f.vector()
                                + "; already reflected")));
            }
        }
        if (state.vector().contains(change.dot())) {
            return new Applied(state, List.of(single(state, policy, DecisionKind.REJECTED, change, change,
                    "dot " + change.dot() + " is already covered by " + state.vector()
                            + " but no received event dominates " + change.vector() + ": a dot was minted twice")));
        }

        List<Change> nextFrontier = new ArrayList<>(frontier.size() + 1);
        for (Change f : frontier) {
            if (f.vector().compare(change.vector()) != Causality.BEFORE) {
                nextFrontier.add(f);
            }
        }
        nextFrontier.add(change);
        nextFrontier.sort(Comparator.comparing(Change::dot));
        MergeState withFields = state.withFieldWrites(change);
        MergeState next = new MergeState(state.key(), nextFrontier, state.vector().join(change.vector()),
                withFields.fieldFrontiers(), withFields.deleteFrontier());

        List<Decision> decisions = new ArrayList<>(1);
        if (nextFrontier.size() > 1) {
            decisions.add(conflict(next, policy));
        } else if (frontier.size() > 1 && policy.mode() == MergePolicy.Mode.MANUAL) {
            List<Change> involved = new ArrayList<>(frontier);
            involved.add(change);
            involved.sort(Comparator.comparing(Change::dot));
            List<Dot> dots = involved.stream().map(Change::dot).toList();
            decisions.add(new Decision(
                    Digests.decisionId(policy.id(), DecisionKind.MANUAL_RESOLUTION.name(), state.key(), dots),
                    state.key(), DecisionKind.MANUAL_RESOLUTION, policy.id(),
                    involved.stream().map(Candidate::of).toList(), change.dot(), next.vector(), false, List.of(),
                    "manual: " + change.dot() + " dominates every sibling of " + dotList(frontier) + "; conflict resolved"));
        }
        return new Applied(next, decisions);
    }

    /** Applies events in order; a convenience for tests, replays and benchmarks. */
    public Applied applyAll(MergeState state, Iterable<Change> changes) {
        List<Decision> decisions = new ArrayList<>();
        MergeState s = state;
        for (Change c : changes) {
            Applied a = apply(s, c);
            s = a.state();
            decisions.addAll(a.decisions());
        }
        return new Applied(s, decisions);
    }

    /**
     * The converged view of a key: a pure function of the state's frontier and per-field
     * information under the key's policy.
     *
     * @throws IllegalStateException if nothing was received for the key
     */
    public ConvergedView converged(MergeState state) {
        if (state.isEmpty()) {
            throw new IllegalStateException("no event received for key '" + state.key() + "'");
        }
        MergePolicy policy = config.policyFor(state.key());
        List<Change> frontier = state.frontier();
        Change winner = frontier.size() == 1 ? frontier.get(0) : policy.winner(frontier, config.siteOrder());
        SortedMap<String, FieldValue> fields;
        if (winner.isDelete()) {
            fields = new TreeMap<>();
        } else if (frontier.size() > 1 && policy.mode() == MergePolicy.Mode.FIELD_MERGE) {
            fields = mergeFields(state, config.siteOrder()).fields();
        } else {
            fields = winner.fields();
        }
        ConflictState conflict = frontier.size() == 1 ? ConflictState.NONE
                : policy.mode() == MergePolicy.Mode.MANUAL ? ConflictState.PENDING : ConflictState.RESOLVED;
        List<Dot> dots = state.frontierDots();
        List<Dot> siblings = conflict == ConflictState.PENDING
                ? dots.stream().filter(d -> !d.equals(winner.dot())).toList() : List.of();
        long maxVersion = 0;
        Hlc maxHlc = Hlc.zero();
        for (Change c : frontier) {
            maxVersion = Math.max(maxVersion, c.version());
            maxHlc = maxHlc.max(c.hlc());
        }
        String conflictId = frontier.size() > 1 ? Digests.decisionId(policy.id(), "", state.key(), dots) : null;
        return new ConvergedView(state.key(), fields, winner.isDelete(), state.vector(), winner.dot(), winner.version(),
                maxVersion, maxHlc, conflict, dots, siblings, policy.id(), conflictId);
    }

    private Decision conflict(MergeState next, MergePolicy policy) {
        List<Change> frontier = next.frontier();
        Change winner = policy.winner(frontier, config.siteOrder());
        boolean deletes = frontier.stream().anyMatch(Change::isDelete);
        boolean updates = frontier.stream().anyMatch(c -> !c.isDelete());
        DecisionKind kind = deletes && updates ? DecisionKind.DELETE_VS_UPDATE : DecisionKind.CONCURRENT_UPDATE;
        boolean pending = policy.mode() == MergePolicy.Mode.MANUAL;
        List<String> contested = List.of();
        String losers = dotList(frontier.stream().filter(c -> c != winner).toList());
        String reason;
        if (pending) {
            reason = "manual: pending; provisional winner " + describe(winner) + " by highest version; siblings " + losers;
        } else if (policy.mode() == MergePolicy.Mode.FIELD_MERGE && !winner.isDelete()) {
            contested = mergeFields(next, config.siteOrder()).contested();
            reason = "field-merge: fields of " + dotList(frontier) + " merged; "
                    + (contested.isEmpty() ? "no field changed concurrently" : "contested " + contested + " by highest version")
                    + "; entity winner " + describe(winner);
        } else {
            reason = policy.id() + ": " + describe(winner) + " beats " + describeAll(frontier, winner) + " (" + policy.rule() + ")";
        }
        if (kind == DecisionKind.DELETE_VS_UPDATE) {
            reason = (winner.isDelete() ? "delete wins: " : "update wins over delete: ") + reason;
        }
        List<Dot> dots = next.frontierDots();
        return new Decision(Digests.decisionId(policy.id(), "", next.key(), dots), next.key(), kind, policy.id(),
                frontier.stream().map(Candidate::of).toList(), winner.dot(), next.vector(), pending, contested, reason);
    }

    /**
     * Field-merge only: an event dominated at entity level can still be the latest known writer of a
     * field (the ChangeEvent's full field map carries no per-field writer, so a later write that
     * inherited the field hides it). If learning it changes a field's merged value, it revealed a
     * concurrent change of that field: audit it as a CONCURRENT_UPDATE naming the frontier and the
     * late writer. Returns null if the converged value did not change (the caller reports STALE).
     */
    private Decision lateFieldWrite(MergeState before, MergeState after, Change change, MergePolicy policy) {
        FieldMergeResult was = mergeFields(before, config.siteOrder());
        FieldMergeResult now = mergeFields(after, config.siteOrder());
        Change winner = policy.winner(after.frontier(), config.siteOrder());
        if (winner.isDelete() || was.fields().equals(now.fields())) {
            return null;
        }
        List<Change> involved = new ArrayList<>(after.frontier());
        involved.add(change);
        involved.sort(Comparator.comparing(Change::dot));
        List<Dot> dots = involved.stream().map(Change::dot).toList();
        TreeSet<String> changedFields = new TreeSet<>();
        for (String f : union(was.fields().keySet(), now.fields().keySet())) {
            if (!Objects.equals(was.fields().get(f), now.fields().get(f))) {
                changedFields.add(f);
            }
        }
        return new Decision(Digests.decisionId(policy.id(), "", after.key(), dots), after.key(),
                DecisionKind.CONCURRENT_UPDATE, policy.id(), involved.stream().map(Candidate::of).toList(), winner.dot(),
                after.vector(), false, now.contested(),
                "field-merge: late write " + change.dot() + " reveals a concurrent change of " + changedFields
                        + " hidden behind a later write; contested " + now.contested() + " by highest version; entity winner "
                        + describe(winner));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private Decision single(MergeState state, MergePolicy policy, DecisionKind kind, Change change, Change winner, String reason) {
        List<Candidate> candidates = new ArrayList<>(2);
        candidates.add(Candidate.of(change));
        if (!winner.dot().equals(change.dot())) {
            candidates.add(Candidate.of(winner));
            candidates.sort(Comparator.comparing(Candidate::dot));
        }
        List<Dot> dots = candidates.stream().map(Candidate::dot).toList();
        return new Decision(Digests.decisionId(policy.id(), kind.name(), state.key(), dots), state.key(), kind,
                policy.id(), candidates, winner.dot(), state.vector(), false, List.of(), reason);
    }

    /** The result of merging the fields of a frontier. */
    record FieldMergeResult(SortedMap<String, FieldValue> fields, List<String> contested) {
    }

    /**
     * Field-level merge of the frontier. For each field, each frontier event makes a claim — its
     * view of the field — together with the set K of the field's maximal known writers (per-field
     * frontier joined with the delete frontier) that it has seen. A claim whose K is a strict subset of
     * another claim's K knows less about the field and is dropped. If the remaining claims disagree,
     * the field was changed concurrently: the claim whose best writer in K ranks highest by
     * highest-version (then the claimant by highest-version) wins, and the field is contested.
     */
    static FieldMergeResult mergeFields(MergeState state, SiteOrder order) {
        List<Change> frontier = state.frontier();
        TreeSet<String> names = new TreeSet<>();
        for (Change c : frontier) {
            names.addAll(c.fields().keySet());
        }
        TreeMap<String, FieldValue> out = new TreeMap<>();
        List<String> contested = new ArrayList<>();
        int n = frontier.size();
        for (String name : names) {
            FieldValue first = viewOf(frontier.get(0), name);
            boolean agree = true;
            for (int i = 1; i < n && agree; i++) {
                agree = Objects.equals(first, viewOf(frontier.get(i), name));
            }
            if (agree) {
                if (first != null) {
                    out.put(name, first);
                }
                continue;
            }
            List<FieldWrite> writers = effectiveWriters(state, name);
            List<Set<Dot>> seen = new ArrayList<>(n);
            for (Change e : frontier) {
                Set<Dot> k = new HashSet<>();
                for (FieldWrite w : writers) {
                    if (e.vector().dominates(w.vector())) {
                        k.add(w.dot());
                    }
                }
                seen.add(k);
            }
            List<Integer> alive = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean knowsLess = false;
                for (int j = 0; j < n && !knowsLess; j++) {
                    knowsLess = j != i && seen.get(j).size() > seen.get(i).size() && seen.get(j).containsAll(seen.get(i));
                }
                if (!knowsLess) {
                    alive.add(i);
                }
            }
            FieldValue value = viewOf(frontier.get(alive.get(0)), name);
            boolean settled = true;
            for (int i : alive) {
                settled &= Objects.equals(value, viewOf(frontier.get(i), name));
            }
            if (!settled) {
                contested.add(name);
                int best = alive.get(0);
                for (int i : alive) {
                    if (compareClaims(frontier.get(i), bestWriter(writers, seen.get(i), order),
                            frontier.get(best), bestWriter(writers, seen.get(best), order), order) > 0) {
                        best = i;
                    }
                }
                value = viewOf(frontier.get(best), name);
            }
            if (value != null) {
                out.put(name, value);
            }
        }
        return new FieldMergeResult(out, contested);
    }

    private static FieldValue viewOf(Change c, String field) {
        return c.isDelete() ? null : c.fields().get(field);
    }

    /** max(per-field frontier ∪ delete frontier): the latest known writers of the field. */
    private static List<FieldWrite> effectiveWriters(MergeState state, String field) {
        List<FieldWrite> all = new ArrayList<>(state.fieldFrontiers().getOrDefault(field, List.of()));
        all.addAll(state.deleteFrontier());
        List<FieldWrite> max = new ArrayList<>(all.size());
        for (FieldWrite w : all) {
            boolean dominated = false;
            for (FieldWrite o : all) {
                if (w.vector().compare(o.vector()) == Causality.BEFORE) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                max.add(w);
            }
        }
        return max;
    }

    private static final Comparator<FieldWrite> BY_VERSION = Comparator.comparingLong(FieldWrite::version);

    private static FieldWrite bestWriter(List<FieldWrite> writers, Set<Dot> seen, SiteOrder order) {
        FieldWrite best = null;
        for (FieldWrite w : writers) {
            if (seen.contains(w.dot()) && (best == null || compareWrites(w, best, order) > 0)) {
                best = w;
            }
        }
        return best;
    }

    private static int compareWrites(FieldWrite a, FieldWrite b, SiteOrder order) {
        int c = BY_VERSION.compare(a, b);
        if (c == 0) {
            c = order.prefer(a.dot().site(), b.dot().site());
        }
        return c != 0 ? c : a.dot().compareTo(b.dot());
    }

    /** Claims rank by their best known writer of the field (or the claimant if none), then the claimant. */
    private static int compareClaims(Change a, FieldWrite wa, Change b, FieldWrite wb, SiteOrder order) {
        FieldWrite ra = wa != null ? wa : new FieldWrite(a.dot(), a.vector(), a.version(), null);
        FieldWrite rb = wb != null ? wb : new FieldWrite(b.dot(), b.vector(), b.version(), null);
        int c = compareWrites(ra, rb, order);
        return c != 0 ? c : MergePolicy.highestVersionOrder(order).compare(a, b);
    }

    private static String describe(Change c) {
        return c.dot() + " (" + (c.isDelete() ? "delete, " : "") + "v" + c.version() + ")";
    }

    private static String describeAll(List<Change> frontier, Change winner) {
        return frontier.stream().filter(c -> c != winner).map(Merge::describe).collect(Collectors.joining(", "));
    }

    private static String dotList(List<Change> changes) {
        return changes.stream().map(c -> c.dot().toString()).collect(Collectors.joining(", ", "[", "]"));
    }
}
