package io.netsplit.reconcile.merge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The merge state of one key: a function of the <em>set</em> of change events received for it, so
 * arrival order and duplicates cannot change it.
 *
 * <ul>
 *   <li>{@code frontier}: the causal frontier — received events no other received event dominates,
 *       sorted by dot. More than one event is a conflict.
 *   <li>{@code vector}: the join of every received event's vector (the key's version frontier).
 *   <li>{@code fieldFrontiers}: per field name, the maximal received events that set or removed that
 *       field (DELETE excluded), including events dominated at entity level — this is how a value
 *       set by an ancestor stays attributable to its writer (docs/architecture.md §4, e0/e1/e2).
 *   <li>{@code deleteFrontier}: the maximal received DELETE events; a delete removes every field.
 * </ul>
 *
 * Immutable; {@link MergeStateCodec} stores it.
 */
public record MergeState(
        String key,
        List<Change> frontier,
        VersionVector vector,
        SortedMap<String, List<FieldWrite>> fieldFrontiers,
        List<FieldWrite> deleteFrontier) {

    static final Comparator<FieldWrite> BY_DOT = Comparator.comparing(FieldWrite::dot);

    public MergeState {
        Objects.requireNonNull(key, "key");
        frontier = List.copyOf(frontier);
        Objects.requireNonNull(vector, "vector");
        TreeMap<String, List<FieldWrite>> copy = new TreeMap<>();
        for (Map.Entry<String, List<FieldWrite>> e : fieldFrontiers.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        fieldFrontiers = Collections.unmodifiableSortedMap(copy);
        deleteFrontier = List.copyOf(deleteFrontier);
    }

    /** The state of a key nothing has been received for. */
    public static MergeState empty(String key) {
        return new MergeState(key, List.of(), VersionVector.empty(), new TreeMap<>(), List.of());
    }

    public boolean isEmpty() {
        return frontier.isEmpty();
    }

    /** True iff more than one received event is undominated. */
    public boolean inConflict() {
        return frontier.size() > 1;
    }

    /** The dots of the frontier, sorted. */
    public List<Dot> frontierDots() {
        return frontier.stream().map(Change::dot).toList();
    }

    /**
     * Adds what {@code change} did to each field to the per-field frontiers. Returns this state if
     * nothing changed (already known or dominated per field).
     */
    MergeState withFieldWrites(Change change) {
        if (change.isDelete()) {
            List<FieldWrite> next = insertMaximal(deleteFrontier, FieldWrite.deletion(change));
            return next == null ? this : new MergeState(key, frontier, vector, fieldFrontiers, next);
        }
        TreeMap<String, List<FieldWrite>> copy = null;
        for (String field : change.changedFields()) {
            List<FieldWrite> current = fieldFrontiers.getOrDefault(field, List.of());
            List<FieldWrite> next = insertMaximal(current, FieldWrite.of(change, field));
            if (next != null) {
                if (copy == null) {
                    copy = new TreeMap<>(fieldFrontiers);
                }
                copy.put(field, next);
            }
        }
        return copy == null ? this : new MergeState(key, frontier, vector, copy, deleteFrontier);
    }

    /** The set of maximal elements after adding {@code write}, sorted by dot; null if unchanged. */
    static List<FieldWrite> insertMaximal(List<FieldWrite> current, FieldWrite write) {
        List<FieldWrite> next = new ArrayList<>(current.size() + 1);
        for (FieldWrite w : current) {
            if (w.dot().equals(write.dot())) {
                return null;
            }
            Causality c = write.vector().compare(w.vector());
            if (c == Causality.BEFORE) {
                return null;
            }
            if (c != Causality.AFTER) {
                next.add(w);
            }
        }
        next.add(write);
        next.sort(BY_DOT);
        return next;
    }
}
