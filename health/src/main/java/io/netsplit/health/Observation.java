package io.netsplit.health;

import io.netsplit.health.ProbeTracker.ProbeView;

import java.util.List;
import java.util.Map;

/**
 * Everything one check saw, as plain values: the input of {@link HealthRules#judge}.
 *
 * @param atMs           when the check ran
 * @param sites          one entry per site
 * @param links          one entry per directed link
 * @param differingKeys  keys whose converged record differs between the sites' converged topics (only
 *                       computed when the topics' digests differ; may be capped)
 * @param differingCount how many keys differ in all (≥ {@code differingKeys.size()})
 */
public record Observation(long atMs, List<SiteObservation> sites, List<LinkObservation> links,
                          List<KeyDifference> differingKeys, long differingCount) {

    public Observation {
        sites = List.copyOf(sites);
        links = List.copyOf(links);
        differingKeys = List.copyOf(differingKeys);
    }

    /**
     * One site: its broker probe, its reconciler's {@code /status} (null when the site has no reconciler
     * service), the checker's own reading of its converged topic (null when not read) and of its dead-letter
     * and redrive topics (null when not read).
     */
    public record SiteObservation(String site, ProbeView broker, ReconcilerView reconciler, TableView table, DlqView dlq) {

        /** A site whose dead letters were not looked at. */
        public SiteObservation(String site, ProbeView broker, ReconcilerView reconciler, TableView table) {
            this(site, broker, reconciler, table, null);
        }
    }

    /**
     * The checker's count of a site's dead letters: records in {@code changes.dlq}, records in {@code changes.redrive}
     * (each one a dead letter put back by {@code netsplit dlq redrive}, which never puts one back twice), and the
     * dead letters there were when the checker first read the topic.
     *
     * @param records        records in {@code changes.dlq} (committed records, transaction markers not counted)
     * @param redriven       records in {@code changes.redrive}
     * @param recordsAtStart {@code records} at the checker's first successful reading
     * @param error          why the topics could not be read (the counts are then those of the last reading, or 0)
     */
    public record DlqView(long records, long redriven, long recordsAtStart, String error) {

        /** Dead letters not put back: a redrive that fails dead-letters the event again, which counts anew. */
        public long outstanding() {
            return Math.max(0, records - redriven);
        }

        /** Dead letters since the checker started. */
        public long newSinceStart() {
            return Math.max(0, records - recordsAtStart);
        }
    }

    /**
     * A reconciler's {@code GET /status}, or why it could not be read.
     *
     * @param lag      input lag in records, summed over its topics
     * @param digest   the digest of its converged table ({@code <hex>})
     * @param frontier the join of every converged vector
     * @param gaps     one line each, the input records retention deleted before the reconciler read them
     *                 ({@code io.netsplit.reconcile.client.ReconcilerStatus.InputGap})
     */
    public record ReconcilerView(boolean reachable, String state, long lag, String digest, long keys,
                                 Map<String, Long> frontier, String error, List<String> gaps) {

        public ReconcilerView {
            frontier = frontier == null ? Map.of() : Map.copyOf(frontier);
            gaps = gaps == null ? List.of() : List.copyOf(gaps);
        }

        public static ReconcilerView unreachable(String error) {
            return new ReconcilerView(false, null, 0, null, 0, Map.of(), error, List.of());
        }
    }

    /**
     * The checker's reading of a site's converged topic (newest record per key).
     *
     * @param caughtUp whether the reader had reached the topic's end offsets when the check ran
     * @param digest   the same digest the reconciler computes, over the topic's records
     */
    public record TableView(boolean caughtUp, String digest, long keys, String error) {
    }

    /** One directed link: the checker's probe through it, and the mirror's health of it (null if unknown). */
    public record LinkObservation(String source, String target, ProbeView probe, MirrorView mirror) {

        public String id() {
            return source + "->" + target;
        }
    }

    /**
     * The mirror's own view of a link (from the link health endpoint); {@code gaps} describes, one line each, the
     * records the link lost to retention at the source ({@code io.netsplit.mirror.LinkGap}).
     */
    public record MirrorView(String status, Long lagRecords, Long lagMs, Boolean mirrorRunning, List<String> gaps) {

        public MirrorView {
            gaps = gaps == null ? List.of() : List.copyOf(gaps);
        }
    }

    /** A key whose converged record differs between sites; {@code sites} are those that differ from the rest. */
    public record KeyDifference(String key, List<String> sites) {

        public KeyDifference {
            sites = List.copyOf(sites);
        }
    }
}
