package io.netsplit.reconcile.merge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decisions one site made, in order, and the status counters derived from them (docs/architecture.md §6,
 * {@code reconcilectl status}):
 *
 * <ul>
 *   <li>{@code conflicts}: CONCURRENT_UPDATE and DELETE_VS_UPDATE decisions;
 *   <li>{@code merged}: those an automatic policy resolved (not pending);
 *   <li>{@code pending}: keys whose latest conflict is pending and not yet ended by a MANUAL_RESOLUTION;
 *   <li>{@code manualResolutions}, {@code stale}, {@code duplicates}, {@code rejected}.
 * </ul>
 *
 * A site sees different intermediate conflicts for different arrival orders, so these counts are
 * per site; the converged state is what must agree. Not thread-safe.
 */
public final class DecisionLog {

    private final List<Decision> decisions = new ArrayList<>();
    private final Set<String> pendingKeys = new TreeSet<>();
    private long conflicts;
    private long merged;
    private long manualResolutions;
    private long stale;
    private long duplicates;
    private long rejected;

    public void record(Decision d) {
        decisions.add(d);
        switch (d.kind()) {
            case CONCURRENT_UPDATE, DELETE_VS_UPDATE -> {
                conflicts++;
                if (d.pending()) {
                    pendingKeys.add(d.key());
                } else {
                    merged++;
                    pendingKeys.remove(d.key());
                }
            }
            case MANUAL_RESOLUTION -> {
                manualResolutions++;
                pendingKeys.remove(d.key());
            }
            case STALE -> stale++;
            case DUPLICATE -> duplicates++;
            case REJECTED -> rejected++;
        }
    }

    public void recordAll(List<Decision> ds) {
        ds.forEach(this::record);
    }

    public List<Decision> decisions() {
        return Collections.unmodifiableList(decisions);
    }

    public long conflicts() {
        return conflicts;
    }

    public long merged() {
        return merged;
    }

    public long pending() {
        return pendingKeys.size();
    }

    public Set<String> pendingKeys() {
        return Collections.unmodifiableSet(pendingKeys);
    }

    public long manualResolutions() {
        return manualResolutions;
    }

    public long stale() {
        return stale;
    }

    public long duplicates() {
        return duplicates;
    }

    public long rejected() {
        return rejected;
    }

    /** {@code conflicts=N merged=N pending=N}, the line {@code reconcilectl status} prints. */
    public String statusLine() {
        return "conflicts=" + conflicts + " merged=" + merged + " pending=" + pending();
    }
}
