package io.netsplit.mirror;

import java.util.List;

/**
 * One directed link's replication health, as served by the health endpoint ({@code GET /health}).
 * Times are epoch milliseconds; a null number means "not known yet" (e.g. the source site is down).
 *
 * @param status           up / cut / degraded / recovering
 * @param statusSinceMs    when the link entered this status
 * @param probeOk          whether the last Kafka round trip through the link succeeded
 * @param probeRttMs       the last probe's round trip
 * @param probeError       why the last probe failed
 * @param lagRecords       records in the source's mirrored topics not yet replicated (from MM2's committed
 *                         source positions, at most one offset-flush interval stale)
 * @param lagMs            age of the oldest record not yet replicated (0 when nothing is waiting)
 * @param sourceEndOffset  sum of the end offsets of the mirrored topics at the source
 * @param mirroredOffset   sum of MM2's positions in those topics
 * @param replicatedRecords sum of the end offsets of {@code <source>.<topic>} at the target
 * @param lastRecordTimestampMs the newest timestamp in {@code <source>.<topic>} at the target (its write time at the source)
 * @param lastRecordSeenAtMs when the monitor first saw that record at the target
 * @param heartbeatAgeMs   age of the newest MM2 heartbeat that crossed this link ({@code <source>.heartbeats})
 * @param mirrorRunning    whether the target's MM2 process is alive (null when not known)
 * @param updatedAtMs      when this was measured
 * @param error            the last measurement error, if any
 * @param gaps             every gap seen since the monitor started: records deleted at the source before MM2 copied
 *                         them ({@link LinkGap}); never empty again once a gap was seen
 */
public record LinkHealth(
        String source,
        String target,
        LinkStatus status,
        long statusSinceMs,
        boolean probeOk,
        Long probeRttMs,
        String probeError,
        Long lagRecords,
        Long lagMs,
        Long sourceEndOffset,
        Long mirroredOffset,
        Long replicatedRecords,
        Long lastRecordTimestampMs,
        Long lastRecordSeenAtMs,
        Long heartbeatAgeMs,
        Boolean mirrorRunning,
        long updatedAtMs,
        String error,
        List<LinkGap> gaps) {

    public LinkHealth {
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    public String id() {
        return source + "->" + target;
    }

    /** True when the link is up and nothing waits to be replicated. */
    public boolean drained() {
        return status == LinkStatus.UP && lagRecords != null && lagRecords == 0;
    }
}
