package io.netsplit.drills.report;

import io.netsplit.drills.check.Verdict;

import java.util.List;
import java.util.Map;

/**
 * The machine-readable outcome of one drill run ({@code report.json}): the scenario and seed, each
 * phase's duration, the verdicts with evidence, per-site digests and counts, and the timeline.
 *
 * @param convergedAfterHealMillis the headline figure: from the last link change ({@code lastLinkChange})
 *                                 to the first moment after it that the sites were seen converged; null
 *                                 when the drill did not settle or no link was ever changed
 * @param lastLinkChange           the last step that changed a link (a heal, usually), or null
 * @param heals                    every heal (scenario heals, each flap heal, the final heal if it
 *                                 changed a link) with the time until convergence was next seen
 */
public record DrillReport(
        String scenario,
        long seed,
        boolean passed,
        long totalMillis,
        Long convergedAfterHealMillis,
        AfterLinkChange lastLinkChange,
        List<AfterLinkChange> heals,
        Map<String, Long> phaseMillis,
        long acknowledgedWrites,
        long failedWrites,
        Map<String, String> digests,
        Map<String, String> status,
        List<Verdict> verdicts,
        List<Timeline.Event> events,
        List<Timeline.Sample> samples) {

    public DrillReport {
        heals = heals == null ? List.of() : List.copyOf(heals);
        phaseMillis = Map.copyOf(phaseMillis);
        digests = Map.copyOf(digests);
        status = Map.copyOf(status);
        verdicts = List.copyOf(verdicts);
        events = List.copyOf(events);
        samples = List.copyOf(samples);
    }

    /**
     * A change to the links and how long after it the sites were next seen converged (by an
     * {@code await converged} step or the settle phase); {@code convergedAfterMillis} is null when
     * they were not. {@code atMillis} and {@code label} are those of its timeline event.
     */
    public record AfterLinkChange(long atMillis, String label, Long convergedAfterMillis) {
    }
}
