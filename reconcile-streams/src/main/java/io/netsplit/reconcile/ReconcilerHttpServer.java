package io.netsplit.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsplit.reconcile.internal.SiteSummary;
import io.netsplit.reconcile.merge.ConvergedView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The reconciler's HTTP API (JDK HttpServer, JSON via Jackson):
 * <ul>
 *   <li>{@code GET /status} — counters, conflicts/merged/pending, lag per input topic, frontier, keys, digest;
 *   <li>{@code GET /digest} — the order-free digest of the converged table, its key count and frontier;
 *   <li>{@code GET /entities/{key}} — one key's converged view from the state store (404 if unknown);
 *   <li>{@code GET /conflicts?pending=true&limit=N} — keys in conflict (only pending ones if asked);
 *   <li>{@code GET /metrics} — Prometheus text: {@code reconcile_*_total{site}}, {@code reconcile_pending},
 *       {@code reconcile_keys}, {@code reconcile_input_lag_records{site,topic}} and the Kafka Streams metrics.
 * </ul>
 * Every answer is JSON except {@code /metrics}; a failure is a JSON {@code {"error": "..."}} with 4xx/5xx.
 */
public final class ReconcilerHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Reconciler reconciler;
    private final HttpServer server;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;
    private final Map<String, AtomicLong> lagByTopic = new ConcurrentHashMap<>();

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

        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "reconcile-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/status", ex -> json(ex, () -> reconciler.statusJson()));
        server.createContext("/digest", ex -> json(ex, () -> reconciler.digestJson()));
        server.createContext("/entities/", this::entity);
        server.createContext("/conflicts", this::conflicts);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", ex -> json(ex, () -> Map.of("state", reconciler.state().name())));
        server.start();
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void counter(String name, String doc, Tags tags, ToDoubleFunction<SiteSummary> f) {
        FunctionCounter.builder(name, reconciler, r -> f.applyAsDouble(r.lastSummary())).description(doc).tags(tags).register(metrics);
    }

    private interface Body {
        Object get() throws Exception;
    }

    private void json(HttpExchange ex, Body body) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            send(ex, 405, Map.of("error", "only GET is supported"));
            return;
        }
        try {
            send(ex, 200, body.get());
        } catch (NotFound e) {
            send(ex, 404, Map.of("error", e.getMessage()));
        } catch (Exception e) {
            log.warn("{} failed: {}", ex.getRequestURI().getPath(), e.toString());
            send(ex, 503, Map.of("error", String.valueOf(e.getMessage()), "state", reconciler.state().name()));
        }
    }

    private void entity(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath().substring("/entities/".length());
        String key = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        if (key.isEmpty()) {
            send(ex, 400, Map.of("error", "missing key: GET /entities/{key}"));
            return;
        }
        json(ex, () -> {
            ConvergedView v = reconciler.entity(key);
            if (v == null) {
                throw new NotFound("no entity '" + key + "' at site " + reconciler.config().site());
            }
            return Reconciler.viewJson(v);
        });
    }

    private void conflicts(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        boolean pending = Boolean.parseBoolean(q.getOrDefault("pending", "false"));
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "1000"));
            if (limit < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            send(ex, 400, Map.of("error", "limit must be a positive whole number"));
            return;
        }
        json(ex, () -> {
            List<Map<String, Object>> list = reconciler.conflicts(pending, limit).stream().map(Reconciler::viewJson).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("site", reconciler.config().site());
            out.put("pendingOnly", pending);
            out.put("count", list.size());
            out.put("conflicts", list);
            return out;
        });
    }

    private void metrics(HttpExchange ex) throws IOException {
        reconciler.summary();
        Tags site = Tags.of("site", reconciler.config().site());
        reconciler.lag().forEach((topic, lag) -> lagByTopic.computeIfAbsent(topic, t -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("reconcile.input.lag.records", holder, AtomicLong::get).description("Input records not yet processed")
                    .tags(site.and("topic", t)).register(metrics);
            return holder;
        }).set(lag));
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static final class NotFound extends Exception {
        NotFound(String message) {
            super(message);
        }
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        streamsMetrics.close();
        metrics.close();
    }
}
