package io.netsplit.writer.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;
import io.netsplit.writer.SiteWriterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on the JDK's built-in server, one virtual thread per request: {@code /entities/{key}} (GET, PUT,
 * PATCH, DELETE), {@code /health}, {@code /metrics}. Every answer is JSON (metrics: Prometheus text); every error
 * is {@code {"error": code, "message": one line}}. Writes the {@link WriteAdmission} refuses are answered 503
 * {@code diverged} before they reach the minting side; GET is always answered.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String ENTITIES = "/entities/";
    private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;

    private final SiteWriterConfig config;
    private final RequestParser parser;
    private final WriteGateway pipeline;
    private final ConvergedTable converged;
    private final WriterMetrics metrics;
    private final WriteAdmission admission;
    private final byte[] token;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private HttpServer server;

    public HttpApi(SiteWriterConfig config, WriteGateway pipeline, ConvergedTable converged, WriterMetrics metrics,
                   WriteAdmission admission) {
        this.config = config;
        this.parser = new RequestParser(config);
        this.pipeline = pipeline;
        this.converged = converged;
        this.metrics = metrics;
        this.admission = admission;
        this.token = config.authToken() == null ? null : config.authToken().getBytes(StandardCharsets.UTF_8);
    }

    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.httpHost(), config.httpPort()), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            try {
                if (path.startsWith(ENTITIES)) {
                    entities(ex, method, path.substring(ENTITIES.length()));
                } else if (path.equals("/health")) {
                    requireGet(method);
                    health(ex);
                } else if (path.equals("/metrics")) {
                    requireGet(method);
                    send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
                } else if (path.equals("/entities")) {
                    throw new ApiError(400, "invalid_key", "the entity key is empty: use /entities/{key}");
                } else {
                    throw new ApiError(404, "not_found", "no such endpoint: use /entities/{key}, /health or /metrics");
                }
            } catch (ApiError e) {
                metrics.rejected(e.error());
                discardBody(ex);
                Map<String, String> headers = switch (e.status()) {
                    case 401 -> Map.of("WWW-Authenticate", "Bearer realm=\"netsplit\"");
                    case 405 -> Map.of("Allow", "GET, PUT, PATCH, DELETE");
                    case 503 -> Map.of("Retry-After", Integer.toString(config.retryAfterSeconds()));
                    default -> Map.of();
                };
                error(ex, e.status(), e.error(), e.getMessage(), headers);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("answering a request failed: {}", e.toString());
        }
    }

    private void entities(HttpExchange ex, String method, String rawKey) throws IOException {
        authenticate(ex);
        if (method.equals("GET") || method.equals("HEAD")) {
            String key = parser.key(rawKey);
            get(ex, key);
            return;
        }
        Operation op = RequestParser.operation(method);
        String key = parser.key(rawKey);
        // refused before the body is parsed: nothing of a refused write reaches the minting side, let alone Kafka
        admission.refusal().ifPresent(reason -> {
            throw new ApiError(503, "diverged", reason);
        });
        Map<String, Object> fields = Map.of();
        if (op != Operation.DELETE) {
            parser.requireJson(ex.getRequestHeaders().getFirst("Content-Type"));
            fields = parser.fields(readBody(ex));
        } else {
            drain(ex);
        }
        String idempotencyKey = parser.idempotencyKey(ex.getRequestHeaders().getFirst("Idempotency-Key"));
        Long ifMatch = parser.ifMatch(ex.getRequestHeaders().getFirst("If-Match"));
        write(ex, new WriteCommand(key, op, fields, idempotencyKey, ifMatch));
    }

    private void write(HttpExchange ex, WriteCommand command) throws IOException {
        long t0 = System.nanoTime();
        CompletableFuture<WriteOutcome> future = pipeline.submit(command);
        WriteOutcome outcome;
        try {
            outcome = future.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            outcome = WriteOutcome.unavailable("no answer from Kafka within " + config.requestTimeout().toMillis()
                    + " ms; the write may or may not be stored: retry with the same Idempotency-Key");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = WriteOutcome.unavailable("the writer is stopping");
        } catch (ExecutionException e) {
            outcome = WriteOutcome.unavailable("the write failed: " + e.getCause());
        }
        String op = command.op().name().toLowerCase(java.util.Locale.ROOT);
        switch (outcome) {
            case WriteOutcome.Committed c -> {
                metrics.write(op, c.replayed() ? "replayed" : "committed");
                metrics.latency(System.nanoTime() - t0);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("ETag", "\"" + c.receipt().version() + "\"");
                if (c.replayed()) {
                    headers.put("Idempotent-Replayed", "true");
                }
                sendJson(ex, c.receipt().status(), receiptJson(c.receipt(), c.replayed()), headers);
            }
            case WriteOutcome.Refused r -> {
                metrics.write(op, switch (r.status()) {
                    case 412 -> "precondition_failed";
                    case 503 -> "unavailable";
                    default -> "refused";
                });
                Map<String, String> headers = r.status() == 503
                        ? Map.of("Retry-After", Integer.toString(config.retryAfterSeconds())) : Map.of();
                error(ex, r.status(), r.error(), r.message(), headers);
            }
        }
    }

    private void get(HttpExchange ex, String key) throws IOException {
        ConvergedRecord r = converged.get(key);
        if (r == null) {
            throw new ApiError(404, "not_found", "the site's converged view has no such key");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.getKey());
        body.put("fields", new java.util.TreeMap<>(FieldMaps.mutable(r.getFields())));
        body.put("deleted", r.getDeleted());
        body.put("version", r.getVersion());
        body.put("versionVector", new java.util.TreeMap<>(r.getVersionVector()));
        body.put("conflictState", r.getConflictState().name());
        body.put("winner", eventRef(r.getWinner()));
        body.put("siblings", r.getSiblings().stream().map(HttpApi::sibling).toList());
        body.put("policy", r.getPolicy());
        body.put("lastDecisionId", r.getLastDecisionId());
        body.put("updatedBySite", r.getUpdatedBySite());
        sendJson(ex, 200, body, Map.of("ETag", "\"" + r.getVersion() + "\""));
    }

    private void health(HttpExchange ex) throws IOException {
        MintingPipeline.State state = pipeline.state();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", state == MintingPipeline.State.READY ? "UP" : "DOWN");
        body.put("state", state.name());
        body.put("reason", pipeline.stateReason());
        body.put("site", config.site());
        body.put("dotCounter", pipeline.counter());
        body.put("convergedKeys", converged.size());
        body.put("convergedLoaded", converged.isLoaded());
        admission.refusal().ifPresent(reason -> body.put("rejectingWrites", reason));
        sendJson(ex, state == MintingPipeline.State.READY ? 200 : 503, body, Map.of());
    }

    private void authenticate(HttpExchange ex) {
        if (token == null) {
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "unauthorized", "missing bearer token: send Authorization: Bearer <token>");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiError(401, "unauthorized", "invalid bearer token");
        }
    }

    private static void requireGet(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new ApiError(405, "method_not_allowed", "only GET is supported here");
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        int limit = config.maxBodyBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > limit) {
                    throw new ApiError(413, "body_too_large", "the body is " + length.strip() + " bytes; the limit is "
                            + limit + " (" + SiteWriterConfig.MAX_BODY_BYTES + ")");
                }
            } catch (NumberFormatException e) {
                throw new ApiError(400, "invalid_header", "Content-Length is not a number");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new ApiError(413, "body_too_large", "the body is larger than the limit of " + limit + " bytes ("
                        + SiteWriterConfig.MAX_BODY_BYTES + ")");
            }
            return body;
        }
    }

    /**
     * Reads what is left of a refused request's body (up to a bound) so that a client still sending it receives the
     * error instead of a reset connection.
     */
    private static void discardBody(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            long left = MAX_DISCARD_BYTES;
            byte[] buf = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.skip(1 << 16);
        }
    }

    static Map<String, Object> receiptJson(WriteReceipt r, boolean replayed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", r.key());
        body.put("op", r.op().name());
        body.put("dot", dot(r.dot()));
        body.put("version", r.version());
        body.put("versionVector", vector(r.vector()));
        body.put("hlc", hlc(r.hlc()));
        body.put("wallClockMillis", r.wallClockMillis());
        body.put("idempotencyKey", r.idempotencyKey());
        body.put("replayed", replayed);
        return body;
    }

    private static Map<String, Object> dot(Dot d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("site", d.site());
        m.put("counter", d.counter());
        return m;
    }

    private static Map<String, Object> dot(io.netsplit.schemas.Dot d) {
        return dot(Vectors.fromAvro(d));
    }

    private static Map<String, Long> vector(VersionVector v) {
        return v.asMap();
    }

    private static Map<String, Object> hlc(Hlc h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("physicalMillis", h.physicalMillis());
        m.put("logical", h.logical());
        return m;
    }

    private static Map<String, Object> eventRef(EventRef e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dot", dot(e.getDot()));
        m.put("version", e.getVersion());
        m.put("originSite", e.getOriginSite());
        return m;
    }

    private static Map<String, Object> sibling(Sibling s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dot", dot(s.getDot()));
        m.put("originSite", s.getOriginSite());
        m.put("version", s.getVersion());
        m.put("versionVector", new java.util.TreeMap<>(s.getVersionVector()));
        m.put("hlc", hlc(Vectors.fromAvro(s.getHlc())));
        m.put("op", s.getOp().name());
        m.put("fields", new java.util.TreeMap<>(FieldMaps.mutable(s.getFields())));
        return m;
    }

    private static void error(HttpExchange ex, int status, String error, String message, Map<String, String> headers)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message.replace('\n', ' ').replace('\r', ' '));
        sendJson(ex, status, body, headers);
    }

    private static void sendJson(HttpExchange ex, int status, Object body, Map<String, String> headers)
            throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body), headers);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body, Map<String, String> headers)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
