package io.netsplit.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.kit.Json;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Java client of one site-writer's HTTP API, for applications and drills. Thread-safe.
 *
 * <pre>{@code
 * SiteWriterClient us = new SiteWriterClient("http://127.0.0.1:8088");
 * WriteAck ack = us.put("user42", Map.of("status", "online"), WriteOptions.none().idempotencyKey("req-1"));
 * ack.dot();      // us-east:17
 * ack.vector();   // {eu-west:3, us-east:17}
 * }</pre>
 *
 * Field values are null, Boolean, integral numbers (sent as 64-bit integers), other numbers (doubles) or strings.
 * Failures are {@link SiteWriterException}s: {@link SiteWriterException.InvalidRequest},
 * {@link SiteWriterException.Unauthorized}, {@link SiteWriterException.PreconditionFailed},
 * {@link SiteWriterException.Unavailable} (503 or unreachable).
 */
public final class SiteWriterClient {

    private static final ObjectMapper JSON = Json.mapper();

    private final URI base;
    private final String bearerToken;
    private final Duration timeout;
    private final HttpClient http;

    /** A client without authentication and a 30 s request timeout. */
    public SiteWriterClient(String baseUrl) {
        this(baseUrl, null, Duration.ofSeconds(30));
    }

    /**
     * @param baseUrl     the writer's base URL, e.g. from {@code lab.json}'s {@code writer} service
     * @param bearerToken the token if the writer requires one, else null
     * @param timeout     time allowed per request
     */
    public SiteWriterClient(String baseUrl, String bearerToken, Duration timeout) {
        String b = Objects.requireNonNull(baseUrl, "baseUrl");
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.bearerToken = bearerToken;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client for a lab site's writer, as listed in {@code lab.json} (service {@code writer}). */
    public static SiteWriterClient forSite(io.netsplit.lab.Lab lab, String site) {
        return new SiteWriterClient(lab.site(site).requireService(SiteWriterLabComponent.NAME));
    }

    /** The base URL this client talks to. */
    public URI baseUrl() {
        return base;
    }

    /** {@code PUT /entities/{key}}: replaces the entity's fields. */
    public WriteAck put(String key, Map<String, ?> fields) {
        return put(key, fields, WriteOptions.none());
    }

    public WriteAck put(String key, Map<String, ?> fields, WriteOptions options) {
        return write("PUT", key, fields, options);
    }

    /** {@code PATCH /entities/{key}}: sets only the given fields (a null value sets the field to null). */
    public WriteAck patch(String key, Map<String, ?> fields) {
        return patch(key, fields, WriteOptions.none());
    }

    public WriteAck patch(String key, Map<String, ?> fields, WriteOptions options) {
        return write("PATCH", key, fields, options);
    }

    /** {@code DELETE /entities/{key}}: a delete event, with its vector, like any other write. */
    public WriteAck delete(String key) {
        return delete(key, WriteOptions.none());
    }

    public WriteAck delete(String key, WriteOptions options) {
        return write("DELETE", key, null, options);
    }

    /** {@code GET /entities/{key}}: the site's converged view of the key, empty when the site has none. */
    public Optional<EntityView> get(String key) {
        HttpResponse<String> r = send(request(entityUri(key)).GET().build());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode body = check(r);
        List<Dot> siblings = new ArrayList<>();
        body.path("siblings").forEach(s -> siblings.add(dot(s.path("dot"))));
        JsonNode winner = body.path("winner");
        return Optional.of(new EntityView(body.path("key").asText(), fields(body.path("fields")),
                body.path("deleted").asBoolean(), body.path("version").asLong(), vector(body.path("versionVector")),
                body.path("conflictState").asText(), winner.isObject() ? dot(winner.path("dot")) : null, siblings,
                textOrNull(body.path("policy")), textOrNull(body.path("lastDecisionId")),
                textOrNull(body.path("updatedBySite")), body.path("etag").asText()));
    }

    /** {@code GET /health}: true when the writer accepts writes. */
    public boolean healthy() {
        try {
            return send(request(base.resolve("/health")).GET().build()).statusCode() == 200;
        } catch (SiteWriterException e) {
            return false;
        }
    }

    /** {@code GET /metrics}: the Prometheus text exposition. */
    public String metrics() {
        HttpResponse<String> r = send(request(base.resolve("/metrics")).GET().build());
        if (r.statusCode() != 200) {
            check(r);
        }
        return r.body();
    }

    private WriteAck write(String method, String key, Map<String, ?> fields, WriteOptions options) {
        HttpRequest.Builder b = request(entityUri(key));
        if (fields != null) {
            byte[] body;
            try {
                body = JSON.writeValueAsBytes(fields);
            } catch (IOException e) {
                throw new SiteWriterException.InvalidRequest(0, "invalid_json", "cannot encode fields: " + e.getMessage());
            }
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (options.idempotencyKey() != null) {
            b.header("Idempotency-Key", options.idempotencyKey());
        }
        if (options.ifMatch() != null) {
            b.header("If-Match", options.ifMatch());
        }
        if (options.ifNoneMatch() != null) {
            b.header("If-None-Match", options.ifNoneMatch());
        }
        HttpResponse<String> r = send(b.build());
        JsonNode a = check(r);
        return new WriteAck(r.statusCode(), a.path("key").asText(), a.path("op").asText(), dot(a.path("dot")),
                a.path("version").asLong(), vector(a.path("versionVector")),
                new Hlc(a.path("hlc").path("physicalMillis").asLong(), a.path("hlc").path("logical").asInt()),
                a.path("wallClockMillis").asLong(), textOrNull(a.path("idempotencyKey")),
                a.path("replayed").asBoolean(), a.path("etag").asText());
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        return b;
    }

    private URI entityUri(String key) {
        // one path segment: every reserved character escaped, spaces as %20 (not '+')
        String segment = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(base + "/entities/" + segment);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SiteWriterException.Unavailable(0, "unreachable", "cannot reach the site-writer at " + base
                    + ": " + e, 1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiteWriterException.Unavailable(0, "interrupted", "interrupted while calling " + base, 1, e);
        }
    }

    private static JsonNode check(HttpResponse<String> r) {
        JsonNode body;
        try {
            body = r.body() == null || r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        int status = r.statusCode();
        if (status / 100 == 2) {
            return body;
        }
        String error = body.path("error").asText("http_" + status);
        String message = body.path("message").asText(r.body() == null ? "" : r.body());
        throw switch (status) {
            case 401 -> new SiteWriterException.Unauthorized(error, message);
            case 404 -> new SiteWriterException.NotFound(error, message);
            case 412 -> new SiteWriterException.PreconditionFailed(error, message);
            case 503 -> new SiteWriterException.Unavailable(503, error, message,
                    r.headers().firstValue("Retry-After").map(SiteWriterClient::parseRetryAfter).orElse(1), null);
            default -> status >= 400 && status < 500 ? new SiteWriterException.InvalidRequest(status, error, message)
                    : new SiteWriterException(status, error, message, null);
        };
    }

    private static int parseRetryAfter(String v) {
        try {
            return Math.max(1, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Dot dot(JsonNode n) {
        return new Dot(n.path("site").asText(), n.path("counter").asLong());
    }

    private static VersionVector vector(JsonNode n) {
        Map<String, Long> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return VersionVector.of(m);
    }

    private static Map<String, Object> fields(JsonNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            m.put(e.getKey(), v.isNull() ? null : v.isBoolean() ? v.booleanValue() : v.isIntegralNumber() ? v.longValue()
                    : v.isNumber() ? v.doubleValue() : v.asText());
        }
        return m;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
