package io.netsplit.writer.internal;

import io.netsplit.kit.HttpError;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Request;
import io.netsplit.kit.Response;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;
import io.netsplit.writer.SiteWriterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, on the kit's {@link JsonHttpServer} with one virtual thread per request: {@code /entities/{key}} (GET,
 * PUT, PATCH, DELETE), {@code /health}, {@code /metrics}. Every answer is JSON (metrics: Prometheus text); every error
 * is {@code {"error": code, "message": one line}}, and every refusal before minting is counted by its code. The bearer
 * token, when set, is checked by the server's {@link io.netsplit.kit.Authenticator} before a request on
 * {@code /entities/...} is routed. Writes the {@link WriteAdmission} refuses are answered 503 {@code diverged} before
 * they reach the minting side; GET is always answered.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final String ENTITIES = "/entities/";

    private final SiteWriterConfig config;
    private final RequestParser parser;
    private final WriteGateway pipeline;
    private final ConvergedTable converged;
    private final WriterMetrics metrics;
    private final WriteAdmission admission;
    private final byte[] token;
    private JsonHttpServer server;

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
        JsonHttpServer.Builder http = JsonHttpServer.builder("writer-http")
                .host(config.httpHost()).port(config.httpPort()).virtualThreads().backlog(config.httpMaxConnections())
                .maxBodyBytes(config.maxBodyBytes(), SiteWriterConfig.MAX_BODY_BYTES)
                .maxInFlightBodyBytes(config.httpMaxInFlightBytes(), SiteWriterConfig.HTTP_MAX_INFLIGHT_BYTES)
                .errorBody(this::rejected)
                .authenticator(this::authenticate)
                .fallback(this::failure)
                .get("/entities/*", r -> get(parser.key(r.rawRemainder())))
                .get("/health", r -> health())
                .get("/metrics", r -> Response.prometheus(metrics.scrape()));
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            http.route(method, "/entities/*", this::write);
        }
        server = http.build().start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.port();
    }

    private Response write(Request request) throws IOException {
        Operation op = RequestParser.operation(request.method());
        String key = parser.key(request.rawRemainder());
        // refused before the body is parsed: nothing of a refused write reaches the minting side, let alone Kafka
        admission.refusal().ifPresent(reason -> {
            throw new ApiError(503, "diverged", reason);
        });
        Map<String, Object> fields = Map.of();
        if (op != Operation.DELETE) {
            parser.requireJson(request.header("Content-Type"));
            fields = parser.fields(request.body());
        }
        String idempotencyKey = parser.idempotencyKey(request.header("Idempotency-Key"));
        Precondition precondition = parser.precondition(request.header("If-Match"), request.header("If-None-Match"));
        return write(new WriteCommand(key, op, fields, idempotencyKey, precondition));
    }

    private Response write(WriteCommand command) {
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
        return switch (outcome) {
            case WriteOutcome.Committed c -> {
                metrics.write(op, c.replayed() ? "replayed" : "committed");
                metrics.latency(System.nanoTime() - t0);
                Response answer = Response.json(c.receipt().status(), receiptJson(c.receipt(), c.replayed()))
                        .withHeader("ETag", ETags.header(c.receipt().etag()));
                yield c.replayed() ? answer.withHeader("Idempotent-Replayed", "true") : answer;
            }
            case WriteOutcome.Refused r -> {
                metrics.write(op, switch (r.status()) {
                    case 412 -> "precondition_failed";
                    case 503 -> "unavailable";
                    default -> "refused";
                });
                Response answer = Response.json(r.status(), errorBody(r.error(), r.message()));
                yield r.status() == 503 ? withRetryAfter(answer) : answer;
            }
        };
    }

    private Response get(String key) {
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
        String etag = ETags.of(r.getVersion(), r.getVersionVector());
        body.put("etag", etag);
        return Response.ok(body).withHeader("ETag", ETags.header(etag));
    }

    private Response health() {
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
        return Response.json(state == MintingPipeline.State.READY ? 200 : 503, body);
    }

    /** The bearer token on {@code /entities/...}, when {@code writer.auth.token} is set; probes stay open. */
    private Optional<HttpError> authenticate(Request request) {
        if (token == null || !request.rawPath().startsWith(ENTITIES)) {
            return Optional.empty();
        }
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(unauthorized("missing bearer token: send Authorization: Bearer <token>"));
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            return Optional.of(unauthorized("invalid bearer token"));
        }
        return Optional.empty();
    }

    private HttpError unauthorized(String message) {
        return new HttpError(401, rejected(401, "unauthorized", message))
                .withHeader("WWW-Authenticate", "Bearer realm=\"netsplit\"");
    }

    /** A request refused before minting (the parser's, or the server's own 404/405/413): counted by its code. */
    private Map<String, Object> rejected(int status, String error, String message) {
        metrics.rejected(error);
        return errorBody(error, message);
    }

    private Response failure(Request request, Exception e) {
        if (e instanceof ApiError refused) {
            Response answer = Response.json(refused.status(), rejected(refused.status(), refused.error(), refused.getMessage()));
            return refused.status() == 503 ? withRetryAfter(answer) : answer;
        }
        if (e instanceof IOException) {
            // the client went away or was cut off (writer.http.read.timeout.ms) while sending: nobody reads an answer
            log.debug("reading {} {} failed: {}", request.method(), request.path(), e.toString());
            return Response.json(400, errorBody("unreadable_request", "the request could not be read to its end"));
        }
        log.warn("answering {} {} failed: {}", request.method(), request.path(), e.toString());
        return Response.json(500, errorBody("internal_error", "the writer could not answer: " + e.getClass().getSimpleName()));
    }

    private Response withRetryAfter(Response answer) {
        return answer.withHeader("Retry-After", Integer.toString(config.retryAfterSeconds()));
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
        body.put("etag", r.etag());
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

    private static Map<String, Object> errorBody(String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message.replace('\n', ' ').replace('\r', ' '));
        return body;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
