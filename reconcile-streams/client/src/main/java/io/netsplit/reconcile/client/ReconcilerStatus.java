package io.netsplit.reconcile.client;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A site reconciler's {@code GET /status} body, as the reconciler writes it and its clients read it (one type on both
 * sides: the JSON field names are the component names, in this order).
 *
 * @param site          the site the reconciler runs at
 * @param state         the Kafka Streams state ({@code RUNNING}, {@code REBALANCING}, ...)
 * @param policy        the default merge policy id
 * @param policies      merge policy id by key prefix
 * @param siteOrder     the site ranking the policies break ties with
 * @param authority     the sites whose writes win a conflict, in order (empty when none)
 * @param conflicts     conflict decisions so far
 * @param merged        conflicts an automatic policy resolved
 * @param pending       keys whose conflict waits for a manual resolution
 * @param counters      the decision counters
 * @param lag           records not yet processed, by input topic
 * @param frontier      the causal frontier of the converged table: the highest counter seen per site
 * @param keys          keys in the converged table
 * @param digest        the order-free digest of the converged table (hex)
 * @param auditSequence the last audit sequence number
 * @param gaps          input records deleted by retention before the reconciler read them, seen since it started
 *                      (empty when none, and when a body from an older reconciler has no such field)
 */
public record ReconcilerStatus(String site, String state, String policy, Map<String, String> policies,
                               List<String> siteOrder, List<String> authority, long conflicts, long merged, long pending,
                               Counters counters, Map<String, Long> lag, Map<String, Long> frontier, long keys,
                               String digest, long auditSequence, List<InputGap> gaps) {

    public ReconcilerStatus {
        policies = sorted(policies);
        siteOrder = siteOrder == null ? List.of() : List.copyOf(siteOrder);
        authority = authority == null ? List.of() : List.copyOf(authority);
        counters = counters == null ? Counters.NONE : counters;
        lag = sorted(lag);
        frontier = sorted(frontier);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    /** Records not yet processed over every input topic. */
    public long inputLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code conflicts=N merged=N pending=N}: what two sites that agree report alike. */
    public String counts() {
        return "conflicts=" + conflicts + " merged=" + merged + " pending=" + pending;
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /**
     * Offsets of an input partition that retention deleted before the reconciler read them: its committed offset was
     * below the partition's log start offset (a cut or a stopped reconciler longer than the retention). Kafka Streams
     * goes on from the log start; offsets {@code firstMissingOffset} … {@code firstMissingOffset + lostOffsets - 1}
     * are gone, and the count may include transaction markers (one per writer transaction).
     *
     * @param topic              the input topic, e.g. {@code changes} or {@code eu-west.changes}
     * @param partition          its partition
     * @param firstMissingOffset the first offset the reconciler had not read
     * @param lostOffsets        how many offsets were deleted before it read them
     * @param detectedAtMs       when the reconciler first saw the gap
     */
    public record InputGap(String topic, int partition, long firstMissingOffset, long lostOffsets, long detectedAtMs) {

        /** The offset after the last one lost. */
        public long endOffset() {
            return firstMissingOffset + lostOffsets;
        }

        /** One line: {@code changes-0 offsets 12..40 (29 offsets) deleted by retention before they were reconciled}. */
        public String describe() {
            return topic + "-" + partition + " offsets " + firstMissingOffset + ".." + (endOffset() - 1) + " ("
                    + lostOffsets + " offsets) deleted by retention before they were reconciled";
        }
    }

    /**
     * The decision counters of {@code /status}.
     *
     * @param compared          records given to the merge
     * @param merged            conflicts an automatic policy resolved
     * @param duplicates        duplicate deliveries
     * @param stale             events already dominated when they arrived
     * @param rejected          dead-lettered records plus rejected decisions
     * @param retried           record reads retried after a transient failure
     * @param manualResolutions pending conflicts ended by an operator write
     * @param applied           records that changed the converged state
     * @param deadLettered      records written to the dead-letter topic
     * @param rejectedDecisions records rejected because a dot was minted twice
     */
    public record Counters(long compared, long merged, long duplicates, long stale, long rejected, long retried,
                           long manualResolutions, long applied, long deadLettered, long rejectedDecisions) {

        /** All zero: what a body without counters reads as. */
        public static final Counters NONE = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
