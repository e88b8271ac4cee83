package io.netsplit.audit.internal;

import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.DecisionFormats;
import io.netsplit.audit.RepairReport;
import io.netsplit.audit.Since;
import io.netsplit.audit.VerifyReport;
import io.netsplit.audit.store.AuditStore;
import io.netsplit.audit.store.DecisionFilter;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Request;
import io.netsplit.kit.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The sink's HTTP API (the kit's {@link JsonHttpServer}: JSON answers, errors as {@code {"error": "..."}}):
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
    private final BooleanSupplier consumerAlive;
    private final JsonHttpServer server;

    public AuditHttpApi(AuditSinkConfig config, AuditStore store, AuditRepairer repairer, SinkMetrics metrics,
                        BooleanSupplier consumerAlive) throws IOException {
        this.config = config;
        this.store = store;
        this.repairer = repairer;
        this.consumerAlive = consumerAlive;
        this.server = JsonHttpServer.builder("audit-http").host(config.httpHost()).port(config.httpPort()).threads(4)
                .fallback(AuditHttpApi::failure)
                .get("/health", r -> health())
                .get("/conflicts", r -> list(r.query()))
                .get("/conflicts/*", this::decision)
                .get("/audit/verify", this::verify)
                .post("/audit/repair", this::repair)
                .delete("/audit/decisions", this::delete)
                .get("/metrics", r -> Response.prometheus(metrics.scrape()))
                .build();
    }

    public void start() {
        server.start();
    }

    /** The port the API listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return server.port();
    }

    /** A bad parameter is the caller's (400); anything else is logged and answered 500. */
    private static Response failure(Request request, Exception e) {
        if (e instanceof IllegalArgumentException) {
            return error(400, e.getMessage());
        }
        log.warn("{} {} failed: {}", request.method(), request.path(), e.toString());
        return error(500, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    private Response health() {
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
        return Response.json(storeOk && consumerOk ? 200 : 503, body);
    }

    /** {@code /conflicts/{decisionId}} ({@code /conflicts/} is {@code /conflicts}, the list). */
    private Response decision(Request request) {
        String id = request.remainder();
        List<StoredDecision> found = store.findByDecisionId(id);
        if (found.isEmpty()) {
            return error(404, "no decision '" + id + "' in the audit store of " + config.site());
        }
        return Response.ok(found);
    }

    private Response list(Map<String, String> q) {
        List<StoredDecision> found = store.find(filter(q));
        String format = q.getOrDefault("format", "json").toLowerCase(Locale.ROOT);
        return switch (format) {
            case "json" -> Response.ok(found);
            case "csv" -> Response.text(200, "text/csv; charset=utf-8", DecisionFormats.csv(found));
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

    private Response verify(Request request) {
        String site = blankToNull(request.query().get("site"));
        return Response.ok(new VerifyReport(config.site(), store.audit(site), store.anomalies().size()));
    }

    private Response repair(Request request) {
        String site = blankToNull(request.query().get("site"));
        RepairReport report = repairer.repair(site);
        return Response.ok(report);
    }

    private Response delete(Request request) {
        if (!config.deleteEnabled()) {
            return error(403, "deleting audit records is disabled at " + config.site() + " ("
                    + AuditSinkConfig.DELETE_ENABLED + "=false)");
        }
        Map<String, String> q = request.query();
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
        return Response.ok(Map.of("deleted", deleted));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Response error(int status, String message) {
        return Response.json(status, Map.of("error", message == null ? "error" : message));
    }

    @Override
    public void close() {
        server.close();
    }
}
