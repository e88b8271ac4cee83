package io.netsplit.health;

import io.netsplit.health.internal.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running checker's HTTP API ({@link HealthMain}) from another process. */
public final class HealthClient {

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public HealthClient(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    public String url() {
        return url;
    }

    /** The last check's report ({@code GET /health}). */
    public HealthReport current() {
        return Json.readReport(send(HttpRequest.newBuilder(URI.create(url + "/health")).GET(), Duration.ofSeconds(10)));
    }

    /** Forces a check and returns its report ({@code POST /check}). */
    public HealthReport checkNow() {
        return Json.readReport(send(HttpRequest.newBuilder(URI.create(url + "/check")).POST(HttpRequest.BodyPublishers.noBody()),
                Duration.ofSeconds(60)));
    }

    /** The Prometheus text ({@code GET /metrics}). */
    public String prometheus() {
        return send(HttpRequest.newBuilder(URI.create(url + "/metrics")).GET(), Duration.ofSeconds(10));
    }

    private String send(HttpRequest.Builder request, Duration timeout) {
        try {
            HttpResponse<String> r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("health checker at " + url + " answered HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("health checker at " + url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
