package io.netsplit.writer;

import io.netsplit.writer.internal.ConvergedTable;
import io.netsplit.writer.internal.DurabilityCheck;
import io.netsplit.writer.internal.HealthStatusTable;
import io.netsplit.writer.internal.HttpApi;
import io.netsplit.writer.internal.MintingPipeline;
import io.netsplit.writer.internal.WriteAdmission;
import io.netsplit.writer.internal.WriterMetrics;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's writer: the HTTP API that mints versioned, causally tagged {@code ChangeEvent}s.
 *
 * <p>Reads the site's {@code converged} topic (its view of every key) and, at start-up and after a Kafka failure, its
 * own {@code changes} topic (dot counter, per-key history, Idempotency-Keys). Writes {@code ChangeEvent}s to
 * {@code changes} in Kafka transactions with {@code transactional.id = netsplit-writer-<site>}, so a newer writer
 * process of the same site fences this one.
 *
 * <p>With {@code writer.health.reject.when.diverged}, it also follows the health checkers' {@code health.status}
 * topic and refuses writes (503) while a checker reports this site diverged.
 */
public final class SiteWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SiteWriter.class);

    private final SiteWriterConfig config;
    private final WriterMetrics metrics;
    private final ConvergedTable converged;
    private final MintingPipeline pipeline;
    /** Null unless writer.health.reject.when.diverged is set. */
    private final HealthStatusTable healthStatus;
    private final HttpApi api;

    private SiteWriter(SiteWriterConfig config) {
        this.config = config;
        this.metrics = new WriterMetrics(config.site());
        this.converged = new ConvergedTable(config);
        this.pipeline = new MintingPipeline(config, converged, metrics);
        this.healthStatus = config.rejectWritesWhenDiverged() ? new HealthStatusTable(config) : null;
        this.api = new HttpApi(config, pipeline, converged, metrics,
                healthStatus == null ? WriteAdmission.ALWAYS : healthStatus);
        metrics.gauge("writer.converged.keys", "Keys in the site's converged view", converged::size);
        if (healthStatus != null) {
            metrics.gauge("writer.rejecting.writes", "1 while writes are refused because a health checker reports "
                    + "the site diverged, else 0", () -> healthStatus.refusal().isPresent() ? 1 : 0);
        }
    }

    /**
     * Starts a writer and returns once it accepts writes: the converged view is loaded, older writer processes of
     * the site are fenced, and the changes topic has been read back.
     */
    public static SiteWriter start(SiteWriterConfig config) throws IOException, InterruptedException {
        DurabilityCheck.verify(config);
        SiteWriter writer = new SiteWriter(config);
        try {
            writer.converged.start();
            if (writer.healthStatus != null) {
                writer.healthStatus.start();
            }
            writer.pipeline.start(config.startupTimeout());
            writer.awaitHealthStatus();
            writer.api.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            writer.close();
            throw e;
        }
        log.info("site-writer for site {} listening on {}", config.site(), writer.baseUrl());
        return writer;
    }

    /**
     * Waits, bounded by the broker timeout, until the health topic has been read, so that a writer restarted during a
     * divergence does not accept writes before it knows; past the bound it starts anyway (fail-open).
     */
    private void awaitHealthStatus() throws InterruptedException {
        if (healthStatus != null && !healthStatus.awaitLoaded(config.kafkaTimeout())) {
            log.warn("health topic {} not read within {} ms: accepting writes until it is (fail-open)",
                    config.healthTopic(), config.kafkaTimeout().toMillis());
        }
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:8088}. */
    public String baseUrl() {
        return "http://" + config.httpHost() + ":" + api.port();
    }

    public int port() {
        return api.port();
    }

    public SiteWriterConfig config() {
        return config;
    }

    /** Whether a newer writer process of this site has fenced this one (it refuses every write). */
    public boolean isFenced() {
        return pipeline.state() == MintingPipeline.State.FENCED;
    }

    /** Runs {@code action} once if a newer writer process of the site fences this one. */
    public void onFenced(Runnable action) {
        pipeline.onFenced(action);
    }

    @Override
    public void close() {
        api.close();
        if (healthStatus != null) {
            healthStatus.close();
        }
        pipeline.close();
        converged.close();
    }
}
