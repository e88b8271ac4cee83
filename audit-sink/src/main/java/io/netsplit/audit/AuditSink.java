package io.netsplit.audit;

import io.netsplit.audit.internal.AuditConsumer;
import io.netsplit.audit.internal.AuditDecoder;
import io.netsplit.audit.internal.AuditHttpApi;
import io.netsplit.audit.internal.AuditRepairer;
import io.netsplit.audit.internal.SinkMetrics;
import io.netsplit.audit.store.AuditStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One site's audit sink: reads the site's {@code audit} topic ({@code AuditEvent}s, Avro in the
 * Confluent wire format) into the audit store, and serves queries, verification and repair over
 * HTTP. Reads: {@code audit} (configurable, {@link AuditSinkConfig#TOPIC}). Writes: the SQL store
 * only. {@link #close()} stops the consumer (offsets of stored batches are committed already), the
 * HTTP API and the store.
 */
public final class AuditSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditSink.class);

    private final AuditSinkConfig config;
    private final AuditStore store;
    private final AuditDecoder decoder;
    private final AuditConsumer consumer;
    private final AuditHttpApi http;
    private final AuditRepairer repairer;

    private AuditSink(AuditSinkConfig config) {
        this.config = config;
        this.store = AuditStore.open(config.storeUrl(), config.storeUser(), config.storePassword());
        SinkMetrics metrics = new SinkMetrics(config.site());
        this.decoder = new AuditDecoder(config.registryUrl());
        this.repairer = new AuditRepairer(config, store, decoder, metrics);
        this.consumer = new AuditConsumer(config, store, decoder, metrics);
        try {
            this.http = new AuditHttpApi(config, store, repairer, metrics, consumer::alive);
        } catch (IOException e) {
            consumer.close();
            store.close();
            throw new UncheckedIOException("cannot serve the audit API on " + config.httpHost() + ":"
                    + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    /** Opens the store (migrating it), starts the consumer and the HTTP API. */
    public static AuditSink start(AuditSinkConfig config) {
        AuditSink sink = new AuditSink(config);
        sink.consumer.start();
        sink.http.start();
        log.info("audit sink {} serving http://{}:{}", config.site(), config.httpHost(), sink.http.port());
        return sink;
    }

    /** The HTTP API's base URL. */
    public String url() {
        return "http://" + config.httpHost() + ":" + http.port();
    }

    /** False once the consumer loop has stopped or failed: the sink no longer records decisions. */
    public boolean consuming() {
        return consumer.alive();
    }

    public AuditStore store() {
        return store;
    }

    /** Re-reads the audit topic for the missing ranges of one deciding site (or all, if null). */
    public RepairReport repair(String decidingSite) {
        return repairer.repair(decidingSite);
    }

    @Override
    public void close() {
        http.close();
        consumer.close();
        decoder.close();
        store.close();
        log.info("audit sink {} stopped", config.site());
    }
}
