package io.netsplit.drills.report;

import io.netsplit.drills.check.Verdict;

import java.util.List;
import java.util.Map;

/**
 * The machine-readable outcome of one drill run ({@code report.json}): the scenario and seed, each
 * phase's duration, the verdicts with evidence, per-site digests and counts, and the timeline.
 */
public record DrillReport(
        String scenario,
        long seed,
        boolean passed,
        long totalMillis,
        Long convergedAfterHealMillis,
        Map<String, Long> phaseMillis,
        long acknowledgedWrites,
        long failedWrites,
        Map<String, String> digests,
        Map<String, String> status,
        List<Verdict> verdicts,
        List<Timeline.Event> events,
        List<Timeline.Sample> samples) {

    public DrillReport {
        phaseMillis = Map.copyOf(phaseMillis);
        digests = Map.copyOf(digests);
        status = Map.copyOf(status);
        verdicts = List.copyOf(verdicts);
        events = List.copyOf(events);
        samples = List.copyOf(samples);
    }
}
