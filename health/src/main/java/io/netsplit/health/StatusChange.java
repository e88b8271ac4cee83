package io.netsplit.health;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * One status change, as webhooks receive it (JSON POST body) and the status topic stores it (JSON value,
 * key = the checker's name). The first check of a checker also emits one, with {@code previous} null, so
 * subscribers learn the starting status.
 *
 * @param type               always {@code status-change}
 * @param sequence           1, 2, 3... per checker run: a receiver sees gaps or repeats at once
 * @param previousSinceMs    since when the previous status held
 * @param previousDurationMs how long the previous status lasted
 * @param recoveredAfterMs   for a change back to healthy after a partition: from its end until caught up
 * @param sites              the sites the new status concerns (empty: all)
 * @param links              the links it concerns ({@code source->target})
 * @param evidence           the findings behind it, one line each
 */
public record StatusChange(String type, String checker, long sequence, HealthStatus status, HealthStatus previous,
                           long atMs, String at, Long previousSinceMs, Long previousDurationMs, Long recoveredAfterMs,
                           List<String> sites, List<String> links, List<String> evidence, Long validForMs) {

    public static final String TYPE = "status-change";
    /** The same event published again while its status lasts (status topic only), renewing its validity. */
    public static final String HEARTBEAT = "status-heartbeat";

    public StatusChange {
        sites = List.copyOf(sites);
        links = List.copyOf(links);
        evidence = List.copyOf(evidence);
    }

    /** The event for {@code report}, which changed the status from {@code previous} (null on the first check). */
    public static StatusChange of(HealthReport report, long sequence, HealthStatus previous, Long previousSinceMs) {
        return of(report, sequence, previous, previousSinceMs, null);
    }

    /** As above, stating how long the event stands ({@code validForMs}; null or 0: no limit). */
    public static StatusChange of(HealthReport report, long sequence, HealthStatus previous, Long previousSinceMs,
                                  Long validForMs) {
        TreeSet<String> sites = new TreeSet<>();
        TreeSet<String> links = new TreeSet<>();
        List<String> evidence = new java.util.ArrayList<>();
        for (Finding f : report.findings()) {
            if (f.level() == report.status()) {
                sites.addAll(f.sites());
                links.addAll(f.links());
            }
            if (f.level() != HealthStatus.HEALTHY || report.status() == HealthStatus.HEALTHY) {
                evidence.add(f.toString());
            }
        }
        if (evidence.isEmpty() && report.status() == HealthStatus.HEALTHY) {
            evidence.add("healthy: every site and link answers, lag is under the thresholds and the sites agree");
        }
        Long duration = previousSinceMs == null ? null : report.checkedAtMs() - previousSinceMs;
        return new StatusChange(TYPE, report.checker(), sequence, report.status(), previous, report.checkedAtMs(),
                Instant.ofEpochMilli(report.checkedAtMs()).toString(), previousSinceMs, duration, report.recoveredAfterMs(),
                List.copyOf(sites), List.copyOf(links), evidence, validForMs == null || validForMs == 0 ? null : validForMs);
    }

    /** This event as a heartbeat: the same status, sites and evidence, published again to renew its validity. */
    public StatusChange heartbeat() {
        return new StatusChange(HEARTBEAT, checker, sequence, status, previous, atMs, at, previousSinceMs, previousDurationMs,
                recoveredAfterMs, sites, links, evidence, validForMs);
    }

    /** One line for logs and {@code --watch}. */
    public String summary() {
        return at + " " + (previous == null ? "(start)" : previous.label()) + " -> " + status.label()
                + (previousDurationMs == null ? "" : " after " + HealthRules.seconds(previousDurationMs))
                + (sites.isEmpty() ? "" : " sites=" + sites) + (links.isEmpty() ? "" : " links=" + links);
    }
}
