package io.netsplit.drills.scenario;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a drill must show at the end: convergence within {@code within}, per-site status counts,
 * golden records, and the checkers to run.
 */
public record Expectations(
        Duration within,
        Map<String, StatusCounts> status,
        Map<String, RecordExpectation> records,
        boolean noLostWrites,
        boolean replayIdentical,
        boolean auditComplete) {

    public Expectations {
        status = Map.copyOf(status);
        records = Map.copyOf(records);
    }

    /** {@code conflicts=14 merged=14 pending=0}, as {@code reconcilectl status} prints it. */
    public record StatusCounts(long conflicts, long merged, long pending) {
        @Override
        public String toString() {
            return "conflicts=" + conflicts + " merged=" + merged + " pending=" + pending;
        }
    }

    /** A golden record: the converged fields (exactly), and optionally version, deleted flag, conflict state. */
    public record RecordExpectation(Optional<Map<String, Object>> fields, Optional<Long> version,
                                    Optional<Boolean> deleted, Optional<String> conflictState) {
    }
}
