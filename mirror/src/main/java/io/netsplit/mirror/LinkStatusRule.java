package io.netsplit.mirror;

/**
 * How a measurement becomes a {@link LinkStatus}. Pure, so the rule is tested without a lab.
 * <ol>
 *   <li>the probe through the link failed: {@code cut};</li>
 *   <li>the link answers, records wait, and the link was cut or recovering: {@code recovering}
 *       (until the backlog reaches zero);</li>
 *   <li>the link answers slowly (best of the last three round trips above the threshold), the
 *       oldest waiting record is older than the lag threshold, or the target's MM2 is down while
 *       records wait: {@code degraded};</li>
 *   <li>otherwise {@code up}.</li>
 * </ol>
 */
final class LinkStatusRule {

    private LinkStatusRule() {
    }

    /**
     * @param bestRecentRttMs the best of the last three probe round trips, or null if fewer than three succeeded in a row
     */
    static LinkStatus decide(LinkStatus previous, boolean probeOk, Long bestRecentRttMs, Long lagRecords, Long lagMs,
                             Boolean mirrorRunning, MirrorConfig config) {
        if (!probeOk) {
            return LinkStatus.CUT;
        }
        boolean backlog = lagRecords != null && lagRecords > 0;
        if (backlog && (previous == LinkStatus.CUT || previous == LinkStatus.RECOVERING)) {
            return LinkStatus.RECOVERING;
        }
        boolean slow = bestRecentRttMs != null && bestRecentRttMs > config.degradedRttMs();
        boolean stale = lagMs != null && lagMs > config.degradedLagMs();
        boolean mirrorDown = Boolean.FALSE.equals(mirrorRunning) && backlog;
        return slow || stale || mirrorDown ? LinkStatus.DEGRADED : LinkStatus.UP;
    }
}
