package io.netsplit.health;

import io.netsplit.health.Observation.KeyDifference;
import io.netsplit.health.Observation.LinkObservation;
import io.netsplit.health.Observation.MirrorView;
import io.netsplit.health.Observation.ReconcilerView;
import io.netsplit.health.Observation.SiteObservation;
import io.netsplit.health.Observation.TableView;
import io.netsplit.health.Observation.DlqView;
import io.netsplit.health.internal.ConvergedTail;
import io.netsplit.health.internal.DeadLetterCounter;
import io.netsplit.health.internal.HealthMetrics;
import io.netsplit.health.internal.StatusTopicPublisher;
import io.netsplit.health.internal.WebhookNotifier;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.KafkaLinkProbe;
import io.netsplit.mirror.LinkControls;
import io.netsplit.mirror.LinkGap;
import io.netsplit.mirror.LinkHealth;
import io.netsplit.mirror.LinkHealthClient;
import io.netsplit.reconcile.client.ReconcilerClient;
import io.netsplit.reconcile.client.ReconcilerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The continuous consistency checker across sites. Every {@code health.interval.ms} it probes, in
 * parallel: each site's broker (a Kafka round trip), each directed link (a Kafka round trip through the
 * link's proxy), each site's reconciler ({@code GET /status}) and the mirror's link health; it follows
 * every site's {@code converged} topic itself, and counts every site's dead letters (the records of {@code changes.dlq}
 * and {@code changes.redrive}); then {@link HealthRules} derives the status with its
 * evidence. A status change is logged once, posted to the webhooks and written to the status topic of
 * every site. Usable as a library ({@link #start()}, {@link #checkNow()}, {@link #current()}) and run as a
 * service by {@link HealthMain}.
 *
 * <p>Reads: {@code converged} at every site, the reconcilers' and the link health HTTP APIs. Writes: the
 * status topic ({@code health.status}) at every site.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    private static final int MAX_DIFFERING_KEYS = 100;
    private static final int MAX_CHANGES_KEPT = 1000;

    private final HealthConfig config;
    private final List<SiteDescriptor> sites;
    private final List<LinkDescriptor> links;
    private final String registryUrl;
    private final LinkHealthClient linkHealth;
    private final HttpClient http;
    private final HealthMetrics metrics = new HealthMetrics();

    private final Map<String, ProbeTracker> brokers = new LinkedHashMap<>();
    private final Map<String, ProbeTracker> reconcilerProbes = new LinkedHashMap<>();
    private final Map<String, ReconcilerView> lastReconciler = new HashMap<>();
    private final Map<String, ProbeTracker> linkProbes = new LinkedHashMap<>();
    private final Map<String, ConvergedTail> tails = new LinkedHashMap<>();
    private final Map<String, DeadLetterCounter> deadLetters = new LinkedHashMap<>();
    private final List<WebhookNotifier> webhooks = new ArrayList<>();
    private final StatusTopicPublisher statusTopic;
    private final List<Consumer<StatusChange>> listeners = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
            .daemon().name("health-checker").unstarted(r));
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

    // owned by the checker thread
    private HealthRules.Memory memory = HealthRules.Memory.INITIAL;
    private long sequence;
    /** When the checker last put its status on the status topic (a change or a heartbeat), its own clock. */
    private long lastTopicEventMs;
    private long checks;
    private Long lastHealthyMs;
    private long statusSinceMs;
    private HealthStatus status;

    private volatile HealthReport current;
    private final List<StatusChange> changes = new CopyOnWriteArrayList<>();
    private boolean started;

    public HealthChecker(HealthConfig config, LabDescriptor descriptor) {
        if (descriptor.sites().isEmpty()) {
            throw new IllegalArgumentException("the descriptor names no sites: nothing to check");
        }
        this.config = config;
        this.sites = descriptor.sites();
        this.links = descriptor.links();
        this.registryUrl = descriptor.registry();
        String healthUrl = descriptor.linkControl().get(LinkControls.HEALTH);
        this.linkHealth = healthUrl == null ? null : new LinkHealthClient(healthUrl);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.probeTimeoutMs())).build();
        long now = System.currentTimeMillis();
        for (SiteDescriptor s : sites) {
            deadLetters.put(s.name(), new DeadLetterCounter(s.bootstrap(), config.probeTimeoutMs()));
            brokers.put(s.name(), ProbeTracker.of("site " + s.name(), config, now));
            reconcilerProbes.put(s.name(), ProbeTracker.of("reconciler " + s.name(), config, now));
        }
        for (LinkDescriptor l : links) {
            linkProbes.put(l.id(), ProbeTracker.of("link " + l.id(), config, now));
        }
        for (String url : config.webhookUrls()) {
            WebhookNotifier n = new WebhookNotifier(url, config.webhookTimeout(), config.webhookBackoffMs(),
                    config.webhookBackoffMaxMs(), config.webhookMaxAttempts());
            webhooks.add(n);
            metrics.webhook(n);
        }
        Map<String, String> bootstrapBySite = new LinkedHashMap<>();
        sites.forEach(s -> bootstrapBySite.put(s.name(), s.bootstrap()));
        this.statusTopic = config.statusTopic().isEmpty() ? null
                : new StatusTopicPublisher(config.name(), config.statusTopic(), bootstrapBySite, config.probeTimeoutMs());
    }

    /** Also called with every status change, on the checker's thread: keep it short. */
    public void addListener(Consumer<StatusChange> listener) {
        listeners.add(listener);
    }

    /** Starts following the converged topics and checking every interval. */
    public synchronized HealthChecker start() {
        if (!started) {
            started = true;
            startTails();
            long period = config.interval().toMillis();
            scheduler.scheduleWithFixedDelay(this::scheduledCheck, 0, period, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void startTails() {
        if (registryUrl == null) {
            log.warn("no schema registry in the descriptor: converged topics are not compared, only reconciler digests");
            return;
        }
        for (SiteDescriptor s : sites) {
            ConvergedTail tail = new ConvergedTail(s.name(), s.bootstrap(), registryUrl, config.convergedTopic(),
                    config.probeTimeoutMs());
            tails.put(s.name(), tail);
            tail.start();
        }
    }

    private void scheduledCheck() {
        try {
            runCheck();
        } catch (RuntimeException e) {
            // a check that throws must not end the schedule
            log.error("health check failed: {}", e.toString(), e);
        }
    }

    /** Runs a check now (between scheduled ones, on the checker's thread) and returns its report. */
    public HealthReport checkNow() {
        synchronized (this) {
            if (!started) {
                start();
            }
        }
        try {
            return scheduler.submit(this::runCheck).get(config.probeTimeoutMs() * 3L + 30_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("check failed: " + e.getMessage(), e);
        }
    }

    /** The last check's report, or null before the first. */
    public HealthReport current() {
        return current;
    }

    /** Every status change so far (the newest 1000), oldest first. */
    public List<StatusChange> changes() {
        return List.copyOf(changes);
    }

    public HealthConfig config() {
        return config;
    }

    /** The Prometheus text exposition of the checker's metrics. */
    public String prometheus() {
        return metrics.scrape();
    }

    /** The webhook notifiers, one per URL. */
    public List<WebhookNotifier> webhooks() {
        return List.copyOf(webhooks);
    }

    // ---- one check

    private HealthReport runCheck() {
        long t0 = System.currentTimeMillis();
        Map<String, Future<ProbeTracker.Result>> brokerResults = new LinkedHashMap<>();
        for (SiteDescriptor s : sites) {
            brokerResults.put(s.name(), probes.submit(() -> kafkaProbe("broker", s.name(), firstAddress(s.bootstrap()))));
        }
        Map<String, Future<ProbeTracker.Result>> linkResults = new LinkedHashMap<>();
        for (LinkDescriptor l : links) {
            linkResults.put(l.id(), probes.submit(() -> kafkaProbe("link", l.id(), l.listen())));
        }
        Map<String, Future<ReconcilerView>> reconcilerResults = new LinkedHashMap<>();
        for (SiteDescriptor s : sites) {
            s.service("reconciler").ifPresent(url -> reconcilerResults.put(s.name(), probes.submit(() -> reconciler(s.name(), url))));
        }
        Future<Map<String, MirrorView>> mirror = linkHealth == null ? null : probes.submit(this::mirrorViews);
        Map<String, Future<DlqView>> dlqResults = new LinkedHashMap<>();
        deadLetters.forEach((site, counter) -> dlqResults.put(site, probes.submit(counter::count)));

        long now = System.currentTimeMillis();
        List<SiteObservation> siteObs = new ArrayList<>();
        for (SiteDescriptor s : sites) {
            ProbeTracker broker = brokers.get(s.name());
            broker.record(await(brokerResults.get(s.name()), "broker probe"), now);
            ReconcilerView r = null;
            if (reconcilerResults.containsKey(s.name())) {
                r = trackReconciler(s.name(), reconcilerResults.get(s.name()), now);
            }
            ConvergedTail tail = tails.get(s.name());
            // the reader must have stood at the topic's end lately; the confirmations do the rest
            TableView table = tail == null ? null : tail.view(t0 - 2 * config.interval().toMillis() - 1000);
            siteObs.add(new SiteObservation(s.name(), broker.view(), r, table, awaitDlq(dlqResults.get(s.name()))));
        }
        Map<String, MirrorView> mirrors = mirror == null ? Map.of() : awaitMirror(mirror);
        List<LinkObservation> linkObs = new ArrayList<>();
        for (LinkDescriptor l : links) {
            ProbeTracker p = linkProbes.get(l.id());
            p.record(await(linkResults.get(l.id()), "link probe"), now);
            MirrorView m = mirror == null ? null : mirrors.getOrDefault(l.id(), new MirrorView("unknown", null, null, null, List.of()));
            linkObs.add(new LinkObservation(l.source(), l.target(), p.view(), m));
        }
        List<KeyDifference> differing = new ArrayList<>();
        long differingCount = differingKeys(siteObs, differing);
        Observation o = new Observation(now, siteObs, linkObs, differing, differingCount);

        HealthRules.Judgement j = HealthRules.judge(o, memory, config);
        memory = j.memory();
        checks++;
        HealthStatus previous = status;
        Long previousSince = previous == null ? null : statusSinceMs;
        if (previous != j.status()) {
            status = j.status();
            statusSinceMs = now;
        }
        if (status == HealthStatus.HEALTHY) {
            lastHealthyMs = now;
        }
        List<Finding> findings = new ArrayList<>(j.findings());
        findings.sort(Comparator.comparing((Finding f) -> f.level().ordinal()).reversed());
        HealthReport report = new HealthReport(config.name(), status, now, System.currentTimeMillis() - t0, statusSinceMs,
                lastHealthyMs, checks, findings, j.pairs(), j.recoveredAfterMs(), siteObs, linkObs);
        current = report;
        metrics.check(report);
        if (previous != status) {
            announce(StatusChange.of(report, ++sequence, previous, previousSince, config.statusValidMs()));
            lastTopicEventMs = now;
        } else if (statusTopic != null && config.statusValidMs() > 0 && !changes.isEmpty()
                && now - lastTopicEventMs >= config.statusValidMs() / 3) {
            // the status lasts: say so again before its validity runs out
            statusTopic.heartbeat(changes.get(changes.size() - 1).heartbeat());
            lastTopicEventMs = now;
        }
        if (statusTopic != null) {
            List<String> reachable = siteObs.stream().filter(s -> !s.broker().down()).map(SiteObservation::site).toList();
            statusTopic.flush(reachable);
        }
        return report;
    }

    private void announce(StatusChange change) {
        if (change.status() == HealthStatus.HEALTHY) {
            log.info("health: {} | {}", change.summary(), String.join(" | ", change.evidence()));
        } else {
            log.warn("health: {} | {}", change.summary(), String.join(" | ", change.evidence()));
        }
        changes.add(change);
        if (changes.size() > MAX_CHANGES_KEPT) {
            changes.remove(0);
        }
        metrics.statusChanged();
        webhooks.forEach(w -> w.publish(change));
        if (statusTopic != null) {
            statusTopic.publish(change);
        }
        for (Consumer<StatusChange> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                log.warn("status change listener failed: {}", e.toString());
            }
        }
    }

    private ProbeTracker.Result kafkaProbe(String probe, String target, String address) {
        KafkaLinkProbe.Result r = KafkaLinkProbe.probe(address, config.probeTimeoutMs());
        metrics.probe(probe, target, Duration.ofMillis(r.rttMs()));
        return new ProbeTracker.Result(r.ok(), r.rttMs(), r.error());
    }

    private ProbeTracker.Result await(Future<ProbeTracker.Result> f, String what) {
        long t0 = System.nanoTime();
        try {
            return f.get(config.probeTimeoutMs() + 2000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            f.cancel(true);
            return new ProbeTracker.Result(false, (System.nanoTime() - t0) / 1_000_000, what + " did not finish: " + e);
        }
    }

    private DlqView awaitDlq(Future<DlqView> f) {
        if (f == null) {
            return null;
        }
        try {
            return f.get(config.probeTimeoutMs() * 4L + 2000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            f.cancel(true);
            return null;
        }
    }

    private ReconcilerView trackReconciler(String site, Future<ReconcilerView> f, long now) {
        ReconcilerView v;
        try {
            v = f.get(config.probeTimeoutMs() + 2000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            f.cancel(true);
            v = ReconcilerView.unreachable("no answer: " + e);
        }
        ProbeTracker t = reconcilerProbes.get(site);
        t.record(new ProbeTracker.Result(v.reachable(), 0, v.error()), now);
        if (v.reachable()) {
            lastReconciler.put(site, v);
            return v;
        }
        ReconcilerView last = lastReconciler.get(site);
        if (t.view().down() || last == null) {
            return ReconcilerView.unreachable(v.error() + " (" + t.view().consecutiveFailures() + " failed probes)");
        }
        // below the failure threshold: the last answer, marked so that no divergence is judged on it
        return new ReconcilerView(true, last.state(), last.lag(), last.digest(), last.keys(), last.frontier(),
                "last probe failed: " + v.error(), last.gaps());
    }

    private ReconcilerView reconciler(String site, String baseUrl) {
        long t0 = System.nanoTime();
        try {
            ReconcilerStatus s = new ReconcilerClient(site, baseUrl, http, Duration.ofMillis(config.probeTimeoutMs())).status();
            return new ReconcilerView(true, s.state(), s.inputLag(), s.digest(), s.keys(), s.frontier(), null,
                    s.gaps().stream().map(ReconcilerStatus.InputGap::describe).toList());
        } catch (ReconcilerClient.Unavailable e) {
            return ReconcilerView.unreachable(e.getMessage());
        } finally {
            metrics.probe("reconciler", site, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private Map<String, MirrorView> mirrorViews() {
        Map<String, MirrorView> out = new HashMap<>();
        for (LinkHealth h : linkHealth.links()) {
            out.put(h.id(), new MirrorView(h.status().label(), h.lagRecords(), h.lagMs(), h.mirrorRunning(),
                    h.gaps().stream().map(LinkGap::describe).toList()));
        }
        return out;
    }

    private Map<String, MirrorView> awaitMirror(Future<Map<String, MirrorView>> f) {
        try {
            return f.get(config.probeTimeoutMs() + 5000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            f.cancel(true);
            log.debug("link health unreadable: {}", e.toString());
            return Map.of();
        }
    }

    /** Fills {@code out} with up to 100 keys whose converged record differs between sites; returns how many differ. */
    private long differingKeys(List<SiteObservation> siteObs, List<KeyDifference> out) {
        if (tails.size() < 2 || siteObs.stream().map(s -> s.table() == null ? null : s.table().digest()).distinct().count() <= 1) {
            return 0;
        }
        Map<String, Map<String, byte[]>> bySite = new LinkedHashMap<>();
        tails.forEach((site, tail) -> bySite.put(site, tail.entries()));
        TreeSet<String> keys = new TreeSet<>();
        bySite.values().forEach(m -> keys.addAll(m.keySet()));
        long count = 0;
        for (String key : keys) {
            Map<String, Integer> votes = new HashMap<>();
            Map<String, String> valueBySite = new LinkedHashMap<>();
            bySite.forEach((site, m) -> {
                byte[] e = m.get(key);
                String v = e == null ? "-" : Arrays.toString(e);
                valueBySite.put(site, v);
                votes.merge(v, 1, Integer::sum);
            });
            if (votes.size() <= 1) {
                continue;
            }
            count++;
            if (out.size() < MAX_DIFFERING_KEYS) {
                int best = votes.values().stream().max(Integer::compare).orElse(0);
                boolean uniqueMajority = votes.values().stream().filter(n -> n == best).count() == 1;
                List<String> culprits = new ArrayList<>();
                valueBySite.forEach((site, v) -> {
                    if (!uniqueMajority || votes.get(v) != best) {
                        culprits.add(site);
                    }
                });
                out.add(new KeyDifference(key, culprits));
            }
        }
        return count;
    }

    private static String firstAddress(String bootstrap) {
        return bootstrap.split(",")[0].trim();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probes.shutdownNow();
        tails.values().forEach(ConvergedTail::close);
        deadLetters.values().forEach(DeadLetterCounter::close);
        webhooks.forEach(WebhookNotifier::close);
        if (statusTopic != null) {
            statusTopic.close();
        }
    }
}
