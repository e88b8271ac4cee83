package io.netsplit.reconcile.merge;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory converged table: per key a {@link MergeState}, plus the site's {@link DecisionLog}.
 * What the Streams topology keeps in a state store, without Kafka — used by tests, replays and
 * benchmarks. Not thread-safe.
 */
public final class MergeTable {

    private final Merge merge;
    private final TreeMap<String, MergeState> states = new TreeMap<>();
    private final DecisionLog log;

    public MergeTable(MergeConfig config) {
        this(config, new DecisionLog());
    }

    /** A table that records into an existing log, e.g. after a restart. */
    public MergeTable(MergeConfig config, DecisionLog log) {
        this.merge = new Merge(config);
        this.log = log;
    }

    /** Puts a stored state back, e.g. one read through {@link MergeStateCodec} after a restart. */
    public void load(MergeState state) {
        states.put(state.key(), state);
    }

    /** Applies one received event; returns the decisions it caused (also recorded in the log). */
    public List<Decision> apply(Change change) {
        MergeState state = states.getOrDefault(change.key(), MergeState.empty(change.key()));
        Merge.Applied applied = merge.apply(state, change);
        states.put(change.key(), applied.state());
        log.recordAll(applied.decisions());
        return applied.decisions();
    }

    public void applyAll(Iterable<Change> changes) {
        changes.forEach(this::apply);
    }

    public SortedMap<String, MergeState> states() {
        return Collections.unmodifiableSortedMap(states);
    }

    public ConvergedView view(String key) {
        MergeState s = states.get(key);
        return s == null ? null : merge.converged(s);
    }

    /** Every key's converged view, by key. */
    public SortedMap<String, ConvergedView> views() {
        TreeMap<String, ConvergedView> out = new TreeMap<>();
        states.forEach((k, s) -> out.put(k, merge.converged(s)));
        return out;
    }

    public TableDigest digest() {
        return TableDigest.of(views().values());
    }

    public DecisionLog log() {
        return log;
    }

    public Merge merge() {
        return merge;
    }
}
