package io.netsplit.mirror.internal;

import io.netsplit.kit.JsonHttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The loopback HTTP endpoints of this module (on the kit's {@link JsonHttpServer}) and their clients' calls. */
public final class HttpEndpoints {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpEndpoints() {
    }

    /**
     * A JSON endpoint on loopback:{@code port} (0 = any) with a small daemon thread pool, for {@link
     * io.netsplit.mirror.LinkHealthServer}, {@link FaultProxyServer} and {@link MirrorProcess}; add routes, then
     * {@code build().start()}.
     */
    public static JsonHttpServer.Builder loopback(int port, String name) {
        return JsonHttpServer.builder(name).port(port).threads(4);
    }

    /** GET; returns the response (any status). */
    public static HttpResponse<String> get(String url, Duration timeout) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST with an empty body; returns the response (any status). */
    public static HttpResponse<String> post(String url, Duration timeout) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** True when {@code url} answers 200 within two seconds. */
    public static boolean ok(String url) {
        try {
            return get(url, Duration.ofSeconds(2)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
