package io.netsplit.drills.run;

import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.check.Replayer;
import io.netsplit.drills.check.SiteSnapshot;
import io.netsplit.drills.scenario.Step;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sites a drill runs against — the embedded lab or external sites described by a
 * {@code lab.json} — seen through the operations a drill needs. {@link LabTarget} is the real one.
 * It is the {@link Replayer} the {@code replay-identical} checker asks for a site's replay.
 */
public interface DrillTarget extends AutoCloseable, Replayer {

    List<String> sites();

    /**
     * Writes through the site's writer API; returns the acknowledged write, or throws
     * {@link WriteRefused} when the writer did not acknowledge it (the write must then not count).
     */
    AckedWrite write(String site, String key, Step.Op op, Map<String, Object> fields, long atMillis) throws WriteRefused;

    void isolate(String a, String b, boolean oneWay, Step.CutStyle style);

    void heal(String a, String b);

    /**
     * Removes every fault from every link; true when one was still cut or degraded, so that this
     * call changed the links (a drill measures convergence from the last change, not from a no-op).
     */
    boolean healAll();

    void latency(String a, String b, Duration latency, Duration jitter);

    void bandwidth(String a, String b, long kilobytesPerSecond);

    void kill(Step.Component component, String site);

    void restart(Step.Component component, String site);

    /** Deletes audit records with sequence numbers from..to at a site's audit store; returns how many. */
    long loseAudit(String site, long from, long to);

    /**
     * Replication lag (records) per link id {@code a->b}, -1 for a cut link or one whose lag is unknown;
     * one read of the link health endpoint. The reconcilers' input lag is in {@link #status}.
     */
    Map<String, Long> linkLag();

    /**
     * The version vector of {@code key} in the site writer's view ({@code GET /entities/{key}}): what
     * the writer builds its next write to the key on. Empty when the writer has no record of the key.
     */
    Optional<Map<String, Long>> writerVector(String site, String key);

    /** What one site's reconciler reports right now. */
    ReconcilerStatus status(String site);

    /** Everything the checkers need from one site, read after the drill settled. */
    SiteSnapshot snapshot(String site);

    /** Repairs gaps in a site's audit store; returns a one-line summary. */
    String repairAudit(String site);

    @Override
    void close();

    /** A reconciler's status: counts, its digest, its frontier, and its input lag. */
    record ReconcilerStatus(String site, long conflicts, long merged, long pending, String digest,
                            Map<String, Long> frontier, long inputLag, String defaultPolicy,
                            Map<String, String> policyPrefixes, List<String> siteOrder, List<String> authority) {
        public ReconcilerStatus {
            frontier = Map.copyOf(frontier);
            policyPrefixes = Map.copyOf(policyPrefixes);
            siteOrder = List.copyOf(siteOrder);
            authority = List.copyOf(authority);
        }

        public String counts() {
            return "conflicts=" + conflicts + " merged=" + merged + " pending=" + pending;
        }
    }

    /** A write the writer did not acknowledge (503, timeout, refused connection). */
    final class WriteRefused extends Exception {
        public WriteRefused(String message) {
            super(message);
        }
    }
}
