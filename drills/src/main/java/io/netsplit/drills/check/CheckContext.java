package io.netsplit.drills.check;

import io.netsplit.drills.scenario.Expectations;

import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Checker} may look at, gathered by the runner after the final reads.
 *
 * @param expect       the scenario's expectations
 * @param history      the acknowledged writes, in the order they were acknowledged
 * @param snapshots    what was read from each site after the drill settled, in the scenario's site order
 * @param baseline     each site's counts before the drill, so counts are judged as the drill's own
 * @param reusedDots   writes acknowledged with a dot not above an earlier acknowledged dot of their site
 * @param auditRepairs one line per site ({@code us-east: ...}) when the audit stores were repaired before the reads
 * @param replayer     reprocesses a site from the beginning; only a checker that needs a replay calls it
 */
public record CheckContext(Expectations expect, List<AckedWrite> history, List<SiteSnapshot> snapshots,
                           Map<String, Expectations.StatusCounts> baseline, List<String> reusedDots,
                           List<String> auditRepairs, Replayer replayer) {

    public CheckContext {
        history = List.copyOf(history);
        snapshots = List.copyOf(snapshots);
        baseline = Map.copyOf(baseline);
        reusedDots = List.copyOf(reusedDots);
        auditRepairs = List.copyOf(auditRepairs);
    }
}
