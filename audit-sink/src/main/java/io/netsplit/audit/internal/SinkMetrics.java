package io.netsplit.audit.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The sink's counters, tagged by site, in Prometheus naming: {@code audit_records_stored_total},
 * {@code audit_records_duplicate_total} (replays and redeliveries that inserted nothing),
 * {@code audit_records_unreadable_total}, {@code audit_sequence_collisions_total},
 * {@code audit_store_failures_total}, {@code audit_records_restored_total}.
 */
public final class SinkMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Counter stored;
    final Counter duplicate;
    final Counter unreadable;
    final Counter collisions;
    final Counter storeFailures;
    final Counter restored;

    public SinkMetrics(String site) {
        registry.config().commonTags("site", site);
        stored = counter("audit.records.stored", "Audit records inserted into the store.");
        duplicate = counter("audit.records.duplicate", "Audit records already stored (redelivery or replay).");
        unreadable = counter("audit.records.unreadable", "Audit records that could not be read; kept as anomalies.");
        collisions = counter("audit.sequence.collisions", "Records whose (deciding site, sequence) was stored with another decision.");
        storeFailures = counter("audit.store.failures", "Batches the store could not take (retried).");
        restored = counter("audit.records.restored", "Audit records restored by repair.");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
