package io.netsplit.reconcile.client;

import io.netsplit.kit.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Reads one site reconciler's HTTP API (reconcile-streams/README.md): {@code GET /status} as a typed
 * {@link ReconcilerStatus}. What the drills and the health checker ask a reconciler goes through here, so a field the
 * reconciler renames breaks a compile, not a parse at run time. Reads no topic; writes nothing.
 * <p>
 * A failure is a {@link Unavailable} whose message is one line naming the site and the URL.
 */
public final class ReconcilerClient {

    /** How long one request may take when the caller does not say. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String site;
    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    /** A client of the reconciler at {@code baseUrl} ({@code http://host:port}), with the default timeout. */
    public ReconcilerClient(String site, String baseUrl) {
        this(site, baseUrl, SHARED, DEFAULT_TIMEOUT);
    }

    /** A client that sends through {@code http} and gives each request {@code timeout}. */
    public ReconcilerClient(String site, String baseUrl, HttpClient http, Duration timeout) {
        this.site = Objects.requireNonNull(site, "site");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** {@code GET /status}. */
    public ReconcilerStatus status() {
        return get("/status", ReconcilerStatus.class);
    }

    private <T> T get(String path, Class<T> type) {
        String url = baseUrl + path;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new Unavailable("reconciler at " + site + " answered HTTP " + r.statusCode() + " for " + url);
            }
            return Json.mapper().readValue(r.body(), type);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse("");
            throw new Unavailable("reconciler at " + site + " unreachable (" + url + "): " + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while reading " + url + " (reconciler at " + site + ")", e);
        }
    }

    /** The reconciler did not answer, answered other than 200, or answered what is not its status. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
