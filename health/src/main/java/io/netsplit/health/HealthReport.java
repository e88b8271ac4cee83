package io.netsplit.health;

import io.netsplit.health.Observation.LinkObservation;
import io.netsplit.health.Observation.SiteObservation;

import java.util.List;
import java.util.Map;

/**
 * The result of one check, as {@code GET /health} serves it and {@code netsplit health} prints it.
 *
 * @param checker          the checker's name ({@code health.name})
 * @param status           the derived status
 * @param checkedAtMs      when the check ran (epoch ms)
 * @param checkDurationMs  how long the check took
 * @param statusSinceMs    since when the status holds
 * @param lastHealthyMs    when the status was last healthy (null: never yet)
 * @param checks           checks run since the checker started
 * @param findings         the evidence, worst first
 * @param pairs            the status of each site pair, {@code a|b}
 * @param recoveredAfterMs on the check that found the sites caught up after a partition: how long that took
 * @param sites            what each site answered
 * @param links            what each link answered
 */
public record HealthReport(String checker, HealthStatus status, long checkedAtMs, long checkDurationMs, long statusSinceMs,
                           Long lastHealthyMs, long checks, List<Finding> findings, Map<String, HealthStatus> pairs,
                           Long recoveredAfterMs, List<SiteObservation> sites, List<LinkObservation> links) {

    public HealthReport {
        findings = List.copyOf(findings);
        pairs = Map.copyOf(pairs);
        sites = List.copyOf(sites);
        links = List.copyOf(links);
    }
}
