package io.netsplit.health;

import io.netsplit.health.Observation.DlqView;
import io.netsplit.health.Observation.LinkObservation;
import io.netsplit.health.Observation.MirrorView;
import io.netsplit.health.Observation.ReconcilerView;
import io.netsplit.health.Observation.SiteObservation;
import io.netsplit.health.Observation.TableView;
import io.netsplit.health.ProbeTracker.ProbeView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives one {@link HealthStatus} with its evidence from an {@link Observation} and what earlier checks
 * remembered. A pure function: the checker owns the probes, the rules own the judgement.
 *
 * <p>Order of judgement: a down site or link is {@code partitioned}; divergence is judged only with every
 * link up and every queue drained (mirror lag and reconciler lag zero, converged topics read to their
 * end), and only after {@code health.divergence.confirmations} checks in a row find the same difference,
 * so events in flight never look like divergence; after a partition the sites are {@code degraded}
 * ("catching up") until every site's version frontier covers what every site had when the partition
 * ended; slow, lagging or flapping links and unreachable or restarting reconcilers are {@code degraded}, and so is a
 * site whose {@code changes.dlq} grew since the checker started while it holds dead letters not redriven.
 */
public final class HealthRules {

    private static final int SAMPLE_KEYS = 5;
    private static final String FRONTIERS_DIFFER = "version frontiers differ: ";

    private HealthRules() {
    }

    /**
     * What one check passes to the next.
     *
     * @param divergenceSignature the difference seen by the last drained check, if any
     * @param divergenceSeen      how many drained checks in a row saw it
     * @param partitioned         whether the last check found a partition
     * @param partitionEndedMs    when the last partition ended, while catching up
     * @param catchUpTarget       the version frontier every site must reach after that partition
     */
    public record Memory(String divergenceSignature, int divergenceSeen, boolean partitioned, Long partitionEndedMs,
                         Map<String, Long> catchUpTarget) {

        public static final Memory INITIAL = new Memory(null, 0, false, null, null);
    }

    /**
     * The verdict of one check.
     *
     * @param pairs           the status of each site pair ({@code a|b}, sorted), for metrics
     * @param recoveredAfterMs set on the check that finds the sites caught up after a partition: how long
     *                        it took from the end of the partition
     */
    public record Judgement(HealthStatus status, List<Finding> findings, Map<String, HealthStatus> pairs, Memory memory,
                            Long recoveredAfterMs) {
    }

    public static Judgement judge(Observation o, Memory prev, HealthConfig config) {
        List<Finding> findings = new ArrayList<>();
        boolean partitioned = partitions(o, findings);
        Long recoveredAfter = null;

        // catching up after a partition: every site must reach the frontier all sites had when it ended
        Long endedMs = prev.partitionEndedMs();
        Map<String, Long> target = prev.catchUpTarget();
        if (partitioned) {
            endedMs = null;
            target = null;
        } else if (prev.partitioned()) {
            // it ended when the last cut link or site answered again, not when the recovery threshold was met
            endedMs = answeringAgainSince(o);
            target = joinedFrontier(o);
        }
        if (target != null) {
            Map<String, Map<String, Long>> missing = deficits(o, target);
            if (missing.isEmpty()) {
                recoveredAfter = o.atMs() - endedMs;
                findings.add(note("recovered", List.of(), "caught up " + seconds(recoveredAfter)
                        + " after the partition ended (" + Instant.ofEpochMilli(endedMs)
                        + "): every site holds every event written before and during it"));
                endedMs = null;
                target = null;
            } else {
                List<String> parts = new ArrayList<>();
                missing.forEach((site, bySite) -> parts.add(site + " lacks "
                        + (bySite == null ? "an unknown number of events (reconciler unreadable)" : total(bySite) + " events " + bySite)));
                findings.add(new Finding(HealthStatus.DEGRADED, "catching-up", List.copyOf(missing.keySet()), List.of(), endedMs,
                        "catching up after the partition that ended " + Instant.ofEpochMilli(endedMs) + ": " + String.join("; ", parts)));
            }
        }

        degradations(o, config, findings);
        gaps(o, findings);

        String signature = null;
        int seen = 0;
        if (!partitioned) {
            List<String> differences = differences(o);
            if (!differences.isEmpty()) {
                String inFlight = inFlight(o);
                if (inFlight == null) {
                    signature = signature(o);
                    seen = signature.equals(prev.divergenceSignature()) ? prev.divergenceSeen() + 1 : 1;
                    boolean mirrorUnknown = o.links().stream().anyMatch(l -> l.mirror() == null);
                    boolean eventsMissing = differences.stream().anyMatch(d -> d.startsWith(FRONTIERS_DIFFER));
                    if (seen >= config.divergenceConfirmations() && mirrorUnknown && eventsMissing) {
                        // without MM2's lag a stalled mirror looks exactly like lost events: say so, do not cry divergence
                        findings.add(new Finding(HealthStatus.DEGRADED, "not-arriving", List.of(), List.of(), null,
                                "events are not arriving with every link up (" + seen + " checks), and no mirror lag is "
                                        + "known (no link health endpoint) to tell a stopped mirror from lost events: "
                                        + String.join("; ", differences)));
                    } else if (seen >= config.divergenceConfirmations()) {
                        findings.add(divergence(o, differences, seen));
                    } else {
                        findings.add(note("confirming", List.of(), "sites differ with every queue drained; confirming ("
                                + seen + "/" + config.divergenceConfirmations() + "): " + String.join("; ", differences)));
                    }
                } else {
                    findings.add(note("converging", List.of(), "converging: sites differ while events are in flight (" + inFlight + ")"));
                }
            }
        }

        HealthStatus status = HealthStatus.HEALTHY;
        for (Finding f : findings) {
            status = status.worst(f.level());
        }
        Memory next = new Memory(signature, seen, partitioned, endedMs, target);
        return new Judgement(status, List.copyOf(findings), pairs(o, findings), next, recoveredAfter);
    }

    // ---- partitions

    private static boolean partitions(Observation o, List<Finding> findings) {
        TreeSet<String> downSites = new TreeSet<>();
        for (SiteObservation s : o.sites()) {
            ProbeView b = s.broker();
            if (b.down()) {
                downSites.add(s.site());
                List<String> links = o.links().stream().filter(l -> l.source().equals(s.site()) || l.target().equals(s.site()))
                        .map(LinkObservation::id).toList();
                findings.add(new Finding(HealthStatus.PARTITIONED, "site-unreachable", List.of(s.site()), links, b.sinceMs(),
                        "site " + s.site() + " unreachable since " + Instant.ofEpochMilli(b.sinceMs()) + " ("
                                + b.consecutiveFailures() + " failed probes: " + b.error() + ")"));
            }
        }
        // links between two reachable sites, grouped by site pair so a two-way cut reads as one partition
        Map<String, List<LinkObservation>> byPair = new TreeMap<>();
        for (LinkObservation l : o.links()) {
            if (l.probe().down() && !downSites.contains(l.source()) && !downSites.contains(l.target())) {
                byPair.computeIfAbsent(pair(l.source(), l.target()), k -> new ArrayList<>()).add(l);
            }
        }
        byPair.forEach((pair, cut) -> {
            String[] ab = pair.split("\\|");
            long since = cut.stream().mapToLong(l -> l.probe().sinceMs()).min().orElse(o.atMs());
            List<String> ids = cut.stream().map(LinkObservation::id).sorted().toList();
            String text;
            if (cut.size() >= 2) {
                text = ab[0] + "<->" + ab[1] + " partitioned in both directions since " + Instant.ofEpochMilli(since)
                        + " (" + cut.get(0).probe().error() + ")";
            } else {
                LinkObservation l = cut.get(0);
                text = l.id() + " cut since " + Instant.ofEpochMilli(since) + ", one way: " + l.target()
                        + " receives nothing from " + l.source() + " (" + l.probe().error() + ")";
            }
            findings.add(new Finding(HealthStatus.PARTITIONED, "partition", List.of(ab[0], ab[1]), ids, since, text));
        });
        return !downSites.isEmpty() || !byPair.isEmpty();
    }

    // ---- degradations

    private static void degradations(Observation o, HealthConfig config, List<Finding> findings) {
        for (LinkObservation l : o.links()) {
            ProbeView p = l.probe();
            if (!p.down() && p.slow()) {
                findings.add(new Finding(HealthStatus.DEGRADED, "slow-link", List.of(l.source(), l.target()), List.of(l.id()), null,
                        "link " + l.id() + " slow: round trip " + p.rttMs() + " ms, over " + config.slowProbeMs()
                                + " ms for " + config.failureThreshold() + "+ probes"));
            }
            if (!p.down() && p.flapping()) {
                findings.add(new Finding(HealthStatus.DEGRADED, "flapping", List.of(l.source(), l.target()), List.of(l.id()), null,
                        "link " + l.id() + " flapping: " + p.changesInWindow() + " down/up changes within "
                                + seconds(config.flapWindowMs())));
            }
            if (!p.down() && p.consecutiveFailures() > 0) {
                findings.add(note("probe-failed", List.of(l.id()), "link " + l.id() + ": " + p.consecutiveFailures()
                        + " failed probe(s) in a row, below the threshold of " + config.failureThreshold() + " (" + p.error() + ")"));
            }
            MirrorView m = l.mirror();
            if (m != null && !p.down()) {
                if (Boolean.FALSE.equals(m.mirrorRunning())) {
                    findings.add(new Finding(HealthStatus.DEGRADED, "mirror-down", List.of(l.target()), List.of(l.id()), null,
                            "the mirror into " + l.target() + " is not running (link " + l.id() + ")"));
                }
                boolean byRecords = m.lagRecords() != null && m.lagRecords() > config.lagRecords();
                boolean byAge = m.lagMs() != null && m.lagMs() > config.lagMs();
                if (byRecords || byAge) {
                    findings.add(new Finding(HealthStatus.DEGRADED, "lagging", List.of(l.target()), List.of(l.id()), null,
                            "link " + l.id() + " lagging: " + m.lagRecords() + " records not yet mirrored, the oldest waiting "
                                    + m.lagMs() + " ms"));
                }
            }
        }
        for (SiteObservation s : o.sites()) {
            ProbeView b = s.broker();
            if (!b.down() && b.slow()) {
                findings.add(new Finding(HealthStatus.DEGRADED, "slow-site", List.of(s.site()), List.of(), null,
                        "site " + s.site() + " broker slow: round trip " + b.rttMs() + " ms"));
            }
            if (!b.down() && b.flapping()) {
                findings.add(new Finding(HealthStatus.DEGRADED, "flapping", List.of(s.site()), List.of(), null,
                        "site " + s.site() + " flapping: " + b.changesInWindow() + " down/up changes within "
                                + seconds(config.flapWindowMs())));
            }
            ReconcilerView r = s.reconciler();
            if (r != null && !b.down()) {
                if (!r.reachable()) {
                    findings.add(new Finding(HealthStatus.DEGRADED, "reconciler-down", List.of(s.site()), List.of(), null,
                            "reconciler at " + s.site() + " unreachable: " + r.error()));
                } else if (!"RUNNING".equals(r.state())) {
                    findings.add(new Finding(HealthStatus.DEGRADED, "reconciler-restarting", List.of(s.site()), List.of(), null,
                            "reconciler at " + s.site() + " is " + r.state()));
                } else if (r.lag() > config.lagRecords()) {
                    findings.add(new Finding(HealthStatus.DEGRADED, "lagging", List.of(s.site()), List.of(), null,
                            "reconciler at " + s.site() + " lagging: " + r.lag() + " records not yet merged"));
                }
            }
            DlqView d = s.dlq();
            if (d != null && d.error() == null && d.newSinceStart() > 0 && d.outstanding() > 0) {
                findings.add(new Finding(HealthStatus.DEGRADED, "dead-letters", List.of(s.site()), List.of(), null,
                        "site " + s.site() + ": " + d.outstanding() + " dead letter(s) not redriven in changes.dlq ("
                                + d.newSinceStart() + " new since the checker started; netsplit dlq list --site " + s.site() + ")"));
            }
            TableView t = s.table();
            if (t != null && t.error() != null && !b.down()) {
                findings.add(note("converged-unreadable", List.of(), "converged topic at " + s.site() + " unreadable: " + t.error()));
            }
        }
    }

    // ---- divergence

    /** Differences between sites (or between a site's topic and its reconciler); empty when they agree. */
    // ---- gaps

    /**
     * Records a link or a reconciler lost for good (deleted by retention before MM2 copied them, or before the site's
     * reconciler merged them): degraded, not diverged, so the writers' circuit breaker does not refuse writes for a
     * loss they cannot mend; the finding stays while the mirror or reconciler reports the gap (until its link health
     * monitor or the reconciler restarts, see mirror/README.md 'Gaps' and reconcile-streams/README.md 'Input gaps').
     */
    private static void gaps(Observation o, List<Finding> findings) {
        for (LinkObservation l : o.links()) {
            MirrorView m = l.mirror();
            if (m != null && !m.gaps().isEmpty()) {
                findings.add(new Finding(HealthStatus.DEGRADED, "gap", List.of(l.target()), List.of(l.id()), null,
                        "link " + l.id() + " lost records to retention at " + l.source() + ": "
                                + String.join("; ", m.gaps())));
            }
        }
        for (SiteObservation s : o.sites()) {
            ReconcilerView r = s.reconciler();
            if (r != null && !r.gaps().isEmpty()) {
                findings.add(new Finding(HealthStatus.DEGRADED, "gap", List.of(s.site()), List.of(), null,
                        "reconciler at " + s.site() + " lost input records to retention: " + String.join("; ", r.gaps())));
            }
        }
    }

    static List<String> differences(Observation o) {
        List<String> out = new ArrayList<>();
        Map<String, String> topics = new LinkedHashMap<>();
        Map<String, String> reconcilers = new LinkedHashMap<>();
        Map<String, Map<String, Long>> frontiers = new LinkedHashMap<>();
        for (SiteObservation s : o.sites()) {
            TableView t = s.table();
            ReconcilerView r = s.reconciler();
            if (t != null && t.error() == null) {
                topics.put(s.site(), t.keys() + ":" + t.digest());
            }
            if (r != null && r.reachable()) {
                reconcilers.put(s.site(), r.keys() + ":" + r.digest());
                frontiers.put(s.site(), new TreeMap<>(r.frontier()));
                if (t != null && t.error() == null && !Objects.equals(t.digest(), r.digest())) {
                    out.add(s.site() + "'s converged topic (" + t.keys() + " keys, " + abbrev(t.digest())
                            + ") differs from its reconciler's state (" + r.keys() + " keys, " + abbrev(r.digest()) + ")");
                }
            }
        }
        if (topics.values().stream().distinct().count() > 1) {
            out.add("converged topics differ: " + abbreviated(topics));
        }
        if (reconcilers.values().stream().distinct().count() > 1) {
            out.add("reconciler digests differ: " + abbreviated(reconcilers));
        }
        if (frontiers.values().stream().distinct().count() > 1) {
            out.add(FRONTIERS_DIFFER + frontiers);
        }
        return out;
    }

    /** Why the queues are not drained, or null when they are. */
    private static String inFlight(Observation o) {
        List<String> why = new ArrayList<>();
        for (LinkObservation l : o.links()) {
            if (l.probe().down() || l.probe().consecutiveFailures() > 0) {
                why.add("link " + l.id() + " not answering");
            } else if (l.mirror() != null && (l.mirror().lagRecords() == null || l.mirror().lagRecords() > 0)) {
                why.add("link " + l.id() + " mirror lag " + l.mirror().lagRecords());
            }
        }
        for (SiteObservation s : o.sites()) {
            ReconcilerView r = s.reconciler();
            if (r != null && (!r.reachable() || !"RUNNING".equals(r.state()) || r.error() != null)) {
                why.add("reconciler at " + s.site() + " not answering or not running");
            } else if (r != null && r.lag() > 0) {
                why.add("reconciler at " + s.site() + " lag " + r.lag());
            }
            if (s.table() != null && (s.table().error() != null || !s.table().caughtUp())) {
                why.add("converged topic at " + s.site() + " not read to its end");
            }
        }
        return why.isEmpty() ? null : String.join(", ", why);
    }

    private static String signature(Observation o) {
        StringBuilder b = new StringBuilder();
        for (SiteObservation s : o.sites()) {
            b.append(s.site()).append('=');
            if (s.table() != null) {
                b.append(s.table().keys()).append(':').append(s.table().digest());
            }
            if (s.reconciler() != null) {
                b.append('/').append(s.reconciler().keys()).append(':').append(s.reconciler().digest())
                        .append(new TreeMap<>(s.reconciler().frontier()));
            }
            b.append(';');
        }
        return b.toString();
    }

    private static Finding divergence(Observation o, List<String> differences, int seen) {
        TreeSet<String> culprits = new TreeSet<>();
        // a site whose topic no longer matches its own reconciler is the one that differs
        for (SiteObservation s : o.sites()) {
            if (s.table() != null && s.table().error() == null && s.reconciler() != null && s.reconciler().reachable()
                    && !Objects.equals(s.table().digest(), s.reconciler().digest())) {
                culprits.add(s.site());
            }
        }
        if (culprits.isEmpty()) {
            o.differingKeys().forEach(k -> culprits.addAll(k.sites()));
        }
        if (culprits.isEmpty()) {
            o.sites().forEach(s -> culprits.add(s.site()));
        }
        StringBuilder text = new StringBuilder("diverged with every link up and every queue drained (" + seen + " checks): ");
        if (!o.differingKeys().isEmpty()) {
            TreeSet<String> keys = new TreeSet<>();
            o.differingKeys().forEach(k -> keys.add(k.key()));
            text.append(o.differingCount()).append(" key(s) differ, ").append(keys.first()).append(" .. ").append(keys.last())
                    .append(" (e.g. ").append(String.join(", ", keys.stream().limit(SAMPLE_KEYS).toList())).append("); ");
        }
        text.append("differing site(s): ").append(String.join(", ", culprits)).append("; ").append(String.join("; ", differences));
        return new Finding(HealthStatus.DIVERGED, "divergence", List.copyOf(culprits), List.of(), null, text.toString());
    }

    // ---- catching up

    private static long answeringAgainSince(Observation o) {
        long latest = Long.MIN_VALUE;
        for (LinkObservation l : o.links()) {
            latest = Math.max(latest, l.probe().streakSinceMs());
        }
        for (SiteObservation s : o.sites()) {
            latest = Math.max(latest, s.broker().streakSinceMs());
        }
        return latest == Long.MIN_VALUE ? o.atMs() : Math.min(latest, o.atMs());
    }

    private static Map<String, Long> joinedFrontier(Observation o) {
        Map<String, Long> join = new TreeMap<>();
        for (SiteObservation s : o.sites()) {
            if (s.reconciler() != null && s.reconciler().reachable()) {
                s.reconciler().frontier().forEach((site, n) -> join.merge(site, n, Math::max));
            }
        }
        return join;
    }

    /** Per site lacking something: what it lacks per origin site (null when its reconciler is unreadable). */
    private static Map<String, Map<String, Long>> deficits(Observation o, Map<String, Long> target) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (SiteObservation s : o.sites()) {
            if (s.reconciler() == null) {
                continue;
            }
            if (!s.reconciler().reachable()) {
                out.put(s.site(), null);
                continue;
            }
            Map<String, Long> lacks = new TreeMap<>();
            target.forEach((origin, n) -> {
                long have = s.reconciler().frontier().getOrDefault(origin, 0L);
                if (have < n) {
                    lacks.put(origin, n - have);
                }
            });
            if (!lacks.isEmpty()) {
                out.put(s.site(), lacks);
            }
        }
        return out;
    }

    // ---- helpers

    private static Map<String, HealthStatus> pairs(Observation o, List<Finding> findings) {
        Map<String, HealthStatus> pairs = new TreeMap<>();
        List<String> sites = o.sites().stream().map(SiteObservation::site).sorted().toList();
        for (int i = 0; i < sites.size(); i++) {
            for (int j = i + 1; j < sites.size(); j++) {
                pairs.put(sites.get(i) + "|" + sites.get(j), HealthStatus.HEALTHY);
            }
        }
        for (Finding f : findings) {
            if (f.level() == HealthStatus.HEALTHY) {
                continue;
            }
            for (Map.Entry<String, HealthStatus> e : pairs.entrySet()) {
                String[] ab = e.getKey().split("\\|");
                boolean touches;
                if (!f.links().isEmpty()) {
                    touches = f.links().contains(ab[0] + "->" + ab[1]) || f.links().contains(ab[1] + "->" + ab[0]);
                } else {
                    touches = f.sites().isEmpty() || f.sites().contains(ab[0]) || f.sites().contains(ab[1]);
                }
                if (touches) {
                    e.setValue(e.getValue().worst(f.level()));
                }
            }
        }
        return pairs;
    }

    static String pair(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    private static Finding note(String kind, List<String> links, String text) {
        return new Finding(HealthStatus.HEALTHY, kind, List.of(), links, null, text);
    }

    private static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code keys:digest} per site, digests cut to 12 characters for reading (compared in full). */
    private static Map<String, String> abbreviated(Map<String, String> keysAndDigests) {
        Map<String, String> out = new LinkedHashMap<>();
        keysAndDigests.forEach((site, v) -> {
            int colon = v.indexOf(':');
            out.put(site, v.substring(0, colon + 1) + abbrev(v.substring(colon + 1)));
        });
        return out;
    }

    private static String abbrev(String digest) {
        return digest == null ? "null" : digest.substring(0, Math.min(12, digest.length()));
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
