package io.netsplit.audit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.DecisionFormats;
import io.netsplit.audit.RepairReport;
import io.netsplit.audit.Since;
import io.netsplit.audit.VerifyReport;
import io.netsplit.audit.store.AuditStore;
import io.netsplit.audit.store.DecisionFilter;
import io.netsplit.audit.store.StoredDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The sink's HTTP API (JDK {@code HttpServer}, JSON answers, errors as {@code {"error": "..."}}):
 * <ul>
 *   <li>{@code GET /health}: 200 while the consumer runs and the store answers, else 503;
 *   <li>{@code GET /conflicts?site=&key=&since=&pending=&all=&kind=&limit=&format=json|csv};
 *   <li>{@code GET /conflicts/{decisionId}}: every stored record of that decision, 404 if none;
 *   <li>{@code GET /audit/verify?site=}: per deciding site, the range received and what is missing;
 *   <li>{@code POST /audit/repair?site=}: re-reads the audit topic for the missing ranges;
 *   <li>{@code DELETE /audit/decisions?site=&from=&to=}: drops records (drills only, when enabled);
 *   <li>{@code GET /metrics}: Prometheus text.
 * </ul>
 */
public final class AuditHttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditHttpApi.class);

    private final AuditSinkConfig config;
    private final AuditStore store;
    private final AuditRepairer repairer;
    private final SinkMetrics metrics;
    private final BooleanSupplier consumerAlive;
    private final HttpServer server;

    public AuditHttpApi(AuditSinkConfig config, AuditStore store, AuditRepairer repairer, SinkMetrics metrics,
                        BooleanSupplier consumerAlive) throws IOException {
        this.config = config;
        this.store = store;
        this.repairer = repairer;
        this.metrics = metrics;
        this.consumerAlive = consumerAlive;
        this.server = HttpServer.create(new InetSocketAddress(config.httpHost(), config.httpPort()), 50);
        server.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().name("audit-http-", 0).daemon().factory()));
        server.createContext("/health", ex -> handle(ex, "GET", this::health));
        server.createContext("/conflicts", ex -> handle(ex, "GET", this::conflicts));
        server.createContext("/audit/verify", ex -> handle(ex, "GET", this::verify));
        server.createContext("/audit/repair", ex -> handle(ex, "POST", this::repair));
        server.createContext("/audit/decisions", ex -> handle(ex, "DELETE", this::delete));
        server.createContext("/metrics", ex -> handle(ex, "GET",
                e -> new Answer(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
        server.createContext("/", ex -> handle(ex, "GET", e -> error(404, "no such endpoint: " + e.getRequestURI().getPath())));
    }

    public void start() {
        server.start();
    }

    /** The port the API listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private record Answer(int status, String contentType, String body) {
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle(HttpExchange exchange) throws Exception;
    }

    private void handle(HttpExchange ex, String method, Handler handler) throws IOException {
        Answer answer;
        try {
            if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
                answer = error(405, "use " + method + " for " + ex.getRequestURI().getPath());
            } else {
                answer = handler.handle(ex);
            }
        } catch (IllegalArgumentException e) {
            answer = error(400, e.getMessage());
        } catch (Exception e) {
            log.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            answer = error(500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", answer.contentType());
        ex.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private Answer health(HttpExchange ex) throws IOException {
        boolean storeOk = store.healthy();
        boolean consumerOk = consumerAlive.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", config.site());
        body.put("topic", config.topic());
        body.put("store", store.describe());
        body.put("storeHealthy", storeOk);
        body.put("consumerRunning", consumerOk);
        if (storeOk) {
            body.put("schemaVersion", store.schemaVersion());
            body.put("decisions", store.count(null));
        }
        return json(storeOk && consumerOk ? 200 : 503, body);
    }

    private Answer conflicts(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Map<String, String> q = query(ex);
        if (path.length() > "/conflicts/".length() && path.startsWith("/conflicts/")) {
            String id = URLDecoder.decode(path.substring("/conflicts/".length()), StandardCharsets.UTF_8);
            List<StoredDecision> found = store.findByDecisionId(id);
            if (found.isEmpty()) {
                return error(404, "no decision '" + id + "' in the audit store of " + config.site());
            }
            return json(200, found);
        }
        if (!path.equals("/conflicts") && !path.equals("/conflicts/")) {
            return error(404, "no such endpoint: " + path);
        }
        List<StoredDecision> found = store.find(filter(q));
        String format = q.getOrDefault("format", "json").toLowerCase(Locale.ROOT);
        return switch (format) {
            case "json" -> json(200, found);
            case "csv" -> new Answer(200, "text/csv; charset=utf-8", DecisionFormats.csv(found));
            default -> throw new IllegalArgumentException("unknown format '" + format + "': use json or csv");
        };
    }

    /** The filter the query parameters describe; the same parameters as {@code conflicts list}. */
    static DecisionFilter filter(Map<String, String> q) {
        Long since = null;
        if (q.containsKey("since")) {
            since = Since.parse(q.get("since"), Instant.now()).toEpochMilli();
        }
        boolean all = Boolean.parseBoolean(q.getOrDefault("all", "false"));
        Set<String> kinds = new HashSet<>();
        if (q.containsKey("kind")) {
            Arrays.stream(q.get("kind").split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.toUpperCase(Locale.ROOT)).forEach(kinds::add);
        } else if (!all) {
            kinds.addAll(DecisionFilter.CONFLICT_KINDS);
        }
        int limit = 0;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number, got '" + q.get("limit") + "'");
            }
        }
        return new DecisionFilter(blankToNull(q.get("site")), blankToNull(q.get("key")), since,
                Boolean.parseBoolean(q.getOrDefault("pending", "false")), kinds, limit);
    }

    private Answer verify(HttpExchange ex) throws IOException {
        String site = blankToNull(query(ex).get("site"));
        return json(200, new VerifyReport(config.site(), store.audit(site), store.anomalies().size()));
    }

    private Answer repair(HttpExchange ex) throws IOException {
        String site = blankToNull(query(ex).get("site"));
        RepairReport report = repairer.repair(site);
        return json(200, report);
    }

    private Answer delete(HttpExchange ex) throws IOException {
        if (!config.deleteEnabled()) {
            return error(403, "deleting audit records is disabled at " + config.site() + " ("
                    + AuditSinkConfig.DELETE_ENABLED + "=false)");
        }
        Map<String, String> q = query(ex);
        String site = blankToNull(q.get("site"));
        if (site == null || !q.containsKey("from") || !q.containsKey("to")) {
            throw new IllegalArgumentException("site, from and to are required");
        }
        long from;
        long to;
        try {
            from = Long.parseLong(q.get("from"));
            to = Long.parseLong(q.get("to"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("from and to must be sequence numbers");
        }
        int deleted = store.deleteRange(site, from, to);
        log.warn("deleted {} audit records of {} ({}..{}) on request", deleted, site, from, to);
        return json(200, Map.of("deleted", deleted));
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Answer json(int status, Object body) throws IOException {
        return new Answer(status, "application/json", DecisionFormats.JSON.writeValueAsString(body));
    }

    private static Answer error(int status, String message) {
        try {
            return json(status, Map.of("error", message == null ? "error" : message));
        } catch (IOException e) {
            return new Answer(status, "text/plain", String.valueOf(message));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService es) {
            es.shutdownNow();
        }
    }
}
