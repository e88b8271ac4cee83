package io.netsplit.writer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The writer's metrics, tagged by site, in Prometheus naming: {@code writer_writes_total{site,op,outcome}},
 * {@code writer_write_latency_seconds{site}}, {@code writer_batch_records{site}}, {@code writer_dot_counter{site}},
 * {@code writer_converged_keys{site}}, {@code writer_ready{site}}.
 */
public final class WriterMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String site;
    private final Timer latency;
    private final DistributionSummary batch;

    public WriterMetrics(String site) {
        this.site = site;
        this.latency = Timer.builder("writer.write.latency")
                .description("Time from a write request's arrival to its answer (committed writes)")
                .tag("site", site)
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.batch = DistributionSummary.builder("writer.batch.records")
                .description("Writes committed per Kafka transaction")
                .tag("site", site)
                .register(registry);
    }

    /** Counts one answered write: outcome committed, replayed, precondition_failed, unavailable, conflict. */
    public void write(String op, String outcome) {
        Counter.builder("writer.writes").description("Write requests answered, by operation and outcome")
                .tag("site", site).tag("op", op).tag("outcome", outcome).register(registry).increment();
    }

    /** Counts a request refused before minting (validation, auth), by reason. */
    public void rejected(String reason) {
        Counter.builder("writer.requests.rejected").description("Requests refused before minting, by reason")
                .tag("site", site).tag("reason", reason).register(registry).increment();
    }

    public void latency(long nanos) {
        latency.record(Duration.ofNanos(nanos));
    }

    public void batch(int records) {
        batch.record(records);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).tag("site", site)
                .register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
