package io.netsplit.health;

import java.util.List;

/**
 * One piece of evidence from a check. Its level is the status it calls for ({@link HealthStatus#HEALTHY}
 * for a note that changes nothing, like "converging: 12 events in flight").
 *
 * @param kind    a stable machine-readable name: {@code partition}, {@code site-unreachable},
 *                {@code slow-link}, {@code lagging}, {@code catching-up}, {@code divergence}...
 * @param sites   the sites it concerns (empty: all)
 * @param links   the directed links it concerns, as {@code source->target}
 * @param sinceMs since when it holds, when known
 * @param text    one line for humans
 */
public record Finding(HealthStatus level, String kind, List<String> sites, List<String> links, Long sinceMs, String text) {

    public Finding {
        sites = List.copyOf(sites);
        links = List.copyOf(links);
    }

    @Override
    public String toString() {
        return level.label() + ": " + text;
    }
}
