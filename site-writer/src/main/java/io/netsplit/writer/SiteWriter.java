package io.netsplit.writer;

import io.netsplit.writer.internal.ConvergedTable;
import io.netsplit.writer.internal.HttpApi;
import io.netsplit.writer.internal.MintingPipeline;
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
 */
public final class SiteWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SiteWriter.class);

    private final SiteWriterConfig config;
    private final WriterMetrics metrics;
    private final ConvergedTable converged;
    private final MintingPipeline pipeline;
    private final HttpApi api;

    private SiteWriter(SiteWriterConfig config) {
        this.config = config;
        this.metrics = new WriterMetrics(config.site());
        this.converged = new ConvergedTable(config);
        this.pipeline = new MintingPipeline(config, converged, metrics);
        this.api = new HttpApi(config, pipeline, converged, metrics);
        metrics.gauge("writer.converged.keys", "Keys in the site's converged view", converged::size);
    }

    /**
     * Starts a writer and returns once it accepts writes: the converged view is loaded, older writer processes of
     * the site are fenced, and the changes topic has been read back.
     */
    public static SiteWriter start(SiteWriterConfig config) throws IOException, InterruptedException {
        SiteWriter writer = new SiteWriter(config);
        try {
            writer.converged.start();
            writer.pipeline.start(config.startupTimeout());
            writer.api.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            writer.close();
            throw e;
        }
        log.info("site-writer for site {} listening on {}", config.site(), writer.baseUrl());
        return writer;
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
        pipeline.close();
        converged.close();
    }
}
