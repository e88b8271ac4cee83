package io.netsplit.reconcile;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsplit.kit.HttpError;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Request;
import io.netsplit.kit.Response;
import io.netsplit.reconcile.internal.SiteSummary;
import io.netsplit.reconcile.merge.ConvergedView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The reconciler's HTTP API (on the kit's {@link JsonHttpServer}):
 * <ul>
 *   <li>{@code GET /status} — counters, conflicts/merged/pending, lag per input topic, frontier, keys, digest: a
 *       {@link io.netsplit.reconcile.client.ReconcilerStatus}, the type its clients read;
 *   <li>{@code GET /digest} — the order-free digest of the converged table, its key count and frontier;
 *   <li>{@code GET /entities/{key}} — one key's converged view from the state store (404 if unknown);
 *   <li>{@code GET /conflicts?pending=true&limit=N} — keys in conflict (only pending ones if asked);
 *   <li>{@code GET /metrics} — Prometheus text: {@code reconcile_*_total{site}}, {@code reconcile_pending},
 *       {@code reconcile_keys}, {@code reconcile_input_lag_records{site,topic}},
 *       {@code reconcile_input_gap_offsets{site,topic,partition}} (only partitions with a gap) and the Kafka Streams
 *       metrics.
 * </ul>
 * Every answer is JSON except {@code /metrics}; a failure is a JSON {@code {"error": "..."}} with 4xx/5xx: 400 for a bad
 * request, 404 for an unknown key or path, 405 for a method other than GET, 503 with the Streams {@code state} while the
 * state is restoring.
 */
public final class ReconcilerHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerHttpServer.class);

    private final Reconciler reconciler;
    private final JsonHttpServer server;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;
    private final Map<String, AtomicLong> lagByTopic = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gapByPartition = new ConcurrentHashMap<>();

    public ReconcilerHttpServer(Reconciler reconciler, String host, int port) throws IOException {
        this.reconciler = reconciler;
        Tags site = Tags.of("site", reconciler.config().site());
        counter("reconcile.compared", "Records given to the merge", site, SiteSummary::compared);
        counter("reconcile.applied", "Records that changed the converged state", site, SiteSummary::applied);
        counter("reconcile.conflicts", "Conflict decisions (concurrent update, delete vs update)", site, SiteSummary::conflicts);
        counter("reconcile.merged", "Conflicts an automatic policy resolved", site, SiteSummary::merged);
        counter("reconcile.duplicates", "Duplicate deliveries", site, SiteSummary::duplicates);
        counter("reconcile.stale", "Events already dominated when they arrived", site, SiteSummary::stale);
        counter("reconcile.rejected", "Records rejected: dead-lettered or a dot minted twice", site, s -> s.deadLettered() + s.rejected());
        counter("reconcile.dead.lettered", "Records written to the dead-letter topic", site, SiteSummary::deadLettered);
        counter("reconcile.retried", "Record reads retried after a transient failure", site, SiteSummary::retried);
        counter("reconcile.manual.resolutions", "Pending conflicts ended by an operator write", site, SiteSummary::manualResolutions);
        Gauge.builder("reconcile.pending", reconciler, r -> r.lastSummary().pending()).description("Keys with a pending conflict")
                .tags(site).register(metrics);
        Gauge.builder("reconcile.keys", reconciler, r -> r.lastSummary().digest().count()).description("Keys in the converged table")
                .tags(site).register(metrics);
        Gauge.builder("reconcile.audit.sequence", reconciler, r -> r.lastSummary().sequence()).description("Last audit sequence number")
                .tags(site).register(metrics);
        streamsMetrics = new KafkaStreamsMetrics(reconciler.streams(), site);
        streamsMetrics.bindTo(metrics);

        server = JsonHttpServer.builder("reconcile-http").host(host).port(port).threads(2)
                .fallback(this::unavailable)
                .get("/status", r -> Response.ok(reconciler.status()))
                .get("/digest", r -> Response.ok(reconciler.digestJson()))
                .get("/entities/*", this::entity)
                .get("/conflicts", this::conflicts)
                .get("/metrics", this::metrics)
                .get("/health", r -> Response.ok(Map.of("state", reconciler.state().name())))
                .build().start();
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    private void counter(String name, String doc, Tags tags, ToDoubleFunction<SiteSummary> f) {
        FunctionCounter.builder(name, reconciler, r -> f.applyAsDouble(r.lastSummary())).description(doc).tags(tags).register(metrics);
    }

    /** While the state is restoring (or the store fails), an answer says so and names the state. */
    private Response unavailable(Request request, Exception e) {
        log.warn("{} failed: {}", request.path(), e.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", String.valueOf(e.getMessage()));
        body.put("state", reconciler.state().name());
        return Response.json(503, body);
    }

    private Response entity(Request request) {
        String key = request.remainder();
        if (key.isEmpty()) {
            throw HttpError.of(400, "missing key: GET /entities/{key}");
        }
        ConvergedView v = reconciler.entity(key);
        if (v == null) {
            throw HttpError.of(404, "no entity '" + key + "' at site " + reconciler.config().site());
        }
        return Response.ok(Reconciler.viewJson(v));
    }

    private Response conflicts(Request request) {
        Map<String, String> q = request.query();
        boolean pending = Boolean.parseBoolean(q.getOrDefault("pending", "false"));
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "1000"));
            if (limit < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw HttpError.of(400, "limit must be a positive whole number");
        }
        List<Map<String, Object>> list = reconciler.conflicts(pending, limit).stream().map(Reconciler::viewJson).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site", reconciler.config().site());
        out.put("pendingOnly", pending);
        out.put("count", list.size());
        out.put("conflicts", list);
        return Response.ok(out);
    }

    private Response metrics(Request request) {
        reconciler.summary();
        Tags site = Tags.of("site", reconciler.config().site());
        reconciler.lag().forEach((topic, lag) -> lagByTopic.computeIfAbsent(topic, t -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("reconcile.input.lag.records", holder, AtomicLong::get).description("Input records not yet processed")
                    .tags(site.and("topic", t)).register(metrics);
            return holder;
        }).set(lag));
        Map<String, Long> lost = new TreeMap<>();
        reconciler.gaps().forEach(g -> lost.merge(g.topic() + "\u0000" + g.partition(), g.lostOffsets(), Long::sum));
        lost.forEach((partition, offsets) -> gapByPartition.computeIfAbsent(partition, p -> {
            AtomicLong holder = new AtomicLong();
            String[] topicAndPartition = p.split("\u0000");
            Gauge.builder("reconcile.input.gap.offsets", holder, AtomicLong::get)
                    .description("Input offsets deleted by retention before they were merged")
                    .tags(site.and("topic", topicAndPartition[0]).and("partition", topicAndPartition[1])).register(metrics);
            return holder;
        }).set(offsets));
        return Response.prometheus(metrics.scrape());
    }

    @Override
    public void close() {
        server.close();
        streamsMetrics.close();
        metrics.close();
    }
}
