package io.netsplit.mirror;

import io.netsplit.kit.HttpError;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;
import io.netsplit.mirror.internal.HttpEndpoints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The link health endpoint, on loopback:
 * <ul>
 *   <li>{@code GET /health} — {@code {"links": [LinkHealth...]}} for every link;</li>
 *   <li>{@code GET /sites/{site}/health} — the links into that site (what its mirror receives);</li>
 *   <li>{@code GET /metrics} — Prometheus text: {@code mirror_link_lag_records},
 *       {@code mirror_link_lag_ms}, {@code mirror_link_status{status=...}}, ... tagged
 *       {@code source} and {@code target}.</li>
 * </ul>
 */
public final class LinkHealthServer implements AutoCloseable {

    private final JsonHttpServer http;

    private LinkHealthServer(LinkHealthMonitor monitor, int port) {
        try {
            http = HttpEndpoints.loopback(port, "link-health")
                    .get("/health", r -> Response.ok(body(monitor.snapshot())))
                    .get("/sites/*", r -> Response.ok(body(intoSite(monitor, r.remainder()))))
                    .get("/metrics", r -> Response.prometheus(monitor.prometheus()))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " for link health", e);
        }
    }

    /** Serves {@code monitor} on 127.0.0.1:{@code port} (0 = any free port). */
    public static LinkHealthServer start(LinkHealthMonitor monitor, int port) {
        return new LinkHealthServer(monitor, port);
    }

    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    @Override
    public void close() {
        http.close();
    }

    /** The links into the site of {@code /sites/{site}/health}: what its mirror receives. */
    private static List<LinkHealth> intoSite(LinkHealthMonitor monitor, String remainder) {
        String[] parts = remainder.replaceAll("/+$", "").split("/");
        if (parts.length != 2 || !parts[1].equals("health")) {
            throw HttpError.of(404, "no such endpoint; try /sites/{site}/health");
        }
        return monitor.snapshot().stream().filter(l -> l.target().equals(parts[0])).toList();
    }

    private static Map<String, Object> body(List<LinkHealth> links) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("links", links);
        return m;
    }
}
