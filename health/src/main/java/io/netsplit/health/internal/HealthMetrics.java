package io.netsplit.health.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsplit.health.HealthReport;
import io.netsplit.health.HealthStatus;
import io.netsplit.health.Observation.LinkObservation;
import io.netsplit.health.Observation.SiteObservation;
import io.netsplit.health.ProbeTracker.ProbeView;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The checker's Prometheus metrics ({@code GET /metrics}):
 * {@code netsplit_health_status{status}} and {@code netsplit_health_pair_status{pair,status}} (1 for the
 * current one), {@code netsplit_health_probe_duration_seconds{probe,target}},
 * {@code netsplit_health_probe_consecutive_failures{probe,target}}, {@code netsplit_health_seconds_since_healthy},
 * {@code netsplit_health_convergence_lag_events{site}} (events some site has and this one lacks),
 * {@code netsplit_health_mirror_lag_records{link}}, {@code netsplit_health_dlq_records{site}} (records in the site's
 * {@code changes.dlq}), {@code netsplit_health_dlq_outstanding{site}} (those not redriven), {@code netsplit_health_checks_total},
 * {@code netsplit_health_status_changes_total} and {@code netsplit_health_webhook_*_total{url}}.
 */
public final class HealthMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Counter checks = registry.counter("netsplit.health.checks");
    private final Counter changes = registry.counter("netsplit.health.status.changes");
    private volatile Long lastHealthyMs;
    private final long startedMs = System.currentTimeMillis();

    public HealthMetrics() {
        Gauge.builder("netsplit.health.seconds.since.healthy", this, m -> m.secondsSinceHealthy())
                .description("Seconds since the status was last healthy (since start when never)").register(registry);
    }

    private double secondsSinceHealthy() {
        Long h = lastHealthyMs;
        return (System.currentTimeMillis() - (h == null ? startedMs : h)) / 1000.0;
    }

    /** Records one probe's duration. */
    public void probe(String probe, String target, Duration took) {
        Timer.builder("netsplit.health.probe.duration").tags("probe", probe, "target", target)
                .description("Duration of one health probe").register(registry).record(took);
    }

    /** Updates every gauge from a finished check. */
    public void check(HealthReport report) {
        checks.increment();
        lastHealthyMs = report.status() == HealthStatus.HEALTHY ? report.checkedAtMs() : report.lastHealthyMs();
        for (HealthStatus s : HealthStatus.values()) {
            gauge("netsplit.health.status", Tags.of("status", s.label()), report.status() == s ? 1 : 0);
        }
        report.pairs().forEach((pair, status) -> {
            for (HealthStatus s : HealthStatus.values()) {
                gauge("netsplit.health.pair.status", Tags.of("pair", pair, "status", s.label()), status == s ? 1 : 0);
            }
        });
        Map<String, Long> join = new TreeMap<>();
        for (SiteObservation s : report.sites()) {
            failures("broker", s.site(), s.broker());
            if (s.dlq() != null) {
                gauge("netsplit.health.dlq.records", Tags.of("site", s.site()), s.dlq().records());
                gauge("netsplit.health.dlq.outstanding", Tags.of("site", s.site()), s.dlq().outstanding());
            }
            if (s.reconciler() != null && s.reconciler().reachable()) {
                s.reconciler().frontier().forEach((k, v) -> join.merge(k, v, Math::max));
            }
        }
        for (SiteObservation s : report.sites()) {
            if (s.reconciler() != null && s.reconciler().reachable()) {
                long lacks = 0;
                for (Map.Entry<String, Long> e : join.entrySet()) {
                    lacks += Math.max(0, e.getValue() - s.reconciler().frontier().getOrDefault(e.getKey(), 0L));
                }
                gauge("netsplit.health.convergence.lag.events", Tags.of("site", s.site()), lacks);
            }
        }
        for (LinkObservation l : report.links()) {
            failures("link", l.id(), l.probe());
            if (l.mirror() != null && l.mirror().lagRecords() != null) {
                gauge("netsplit.health.mirror.lag.records", Tags.of("link", l.id()), l.mirror().lagRecords());
            }
        }
    }

    public void statusChanged() {
        changes.increment();
    }

    /** Webhook counters, read from the notifiers at scrape time. */
    public void webhook(WebhookNotifier n) {
        fn("netsplit.health.webhook.delivered", n, WebhookNotifier::delivered, n.url());
        fn("netsplit.health.webhook.failed.attempts", n, WebhookNotifier::failedAttempts, n.url());
        fn("netsplit.health.webhook.dropped", n, WebhookNotifier::dropped, n.url());
    }

    private void fn(String name, WebhookNotifier n, ToDoubleFunction<WebhookNotifier> f, String url) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, n, f).tag("url", url).register(registry);
    }

    private void failures(String probe, String target, ProbeView v) {
        gauge("netsplit.health.probe.consecutive.failures", Tags.of("probe", probe, "target", target), v.consecutiveFailures());
    }

    private void gauge(String name, Tags tags, long value) {
        String id = name + tags;
        gauges.computeIfAbsent(id, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder(name, holder, AtomicLong::get).tags(tags).register(registry);
            return holder;
        }).set(value);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
