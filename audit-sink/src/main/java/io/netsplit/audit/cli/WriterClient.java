package io.netsplit.audit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netsplit.audit.DecisionFormats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Writes through a site's write API (lab.json key {@code writer}): {@code PUT /entities/{key}} with
 * a JSON object of fields, or {@code DELETE /entities/{key}}. Each request carries a fresh
 * {@code Idempotency-Key}, so the writer's retries are safe.
 */
public final class WriterClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String site;
    private final String baseUrl;

    public WriterClient(String site, String baseUrl) {
        this.site = site;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The writer's answer to an accepted write. */
    public record Written(int status, String body) {
    }

    /** {@code PUT /entities/{key}} with {@code fields}. */
    public Written put(String key, Map<String, Object> fields) {
        String body;
        try {
            body = DecisionFormats.JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode the fields as JSON: " + e.getOriginalMessage(), e);
        }
        return send(HttpRequest.newBuilder(uri(key)).PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json"));
    }

    /** {@code DELETE /entities/{key}}. */
    public Written delete(String key) {
        return send(HttpRequest.newBuilder(uri(key)).DELETE());
    }

    private URI uri(String key) {
        return URI.create(baseUrl + "/entities/" + AuditClient.encode(key));
    }

    private Written send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30))
                .header("Idempotency-Key", "resolve-" + UUID.randomUUID())
                .header("Accept", "application/json").build();
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the writer of " + site + " (" + baseUrl + ") is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing at " + site, e);
        }
        if (r.statusCode() / 100 != 2) {
            String body = r.body() == null ? "" : r.body().replace('\n', ' ').strip();
            throw new IllegalStateException("the writer of " + site + " refused the resolution: HTTP " + r.statusCode()
                    + (body.isEmpty() ? "" : " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body)));
        }
        return new Written(r.statusCode(), r.body());
    }
}
