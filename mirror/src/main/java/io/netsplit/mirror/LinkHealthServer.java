package io.netsplit.mirror;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netsplit.mirror.internal.HttpEndpoints;

import java.io.IOException;
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

    private final HttpServer http;

    private LinkHealthServer(LinkHealthMonitor monitor, int port) {
        http = HttpEndpoints.server(port, "link-health");
        http.createContext("/", ex -> handle(monitor, ex));
        http.start();
    }

    /** Serves {@code monitor} on 127.0.0.1:{@code port} (0 = any free port). */
    public static LinkHealthServer start(LinkHealthMonitor monitor, int port) {
        return new LinkHealthServer(monitor, port);
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private static void handle(LinkHealthMonitor monitor, HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().replaceAll("/+$", "");
            String[] parts = path.split("/");
            if (!ex.getRequestMethod().equals("GET")) {
                HttpEndpoints.sendJson(ex, 405, Map.of("error", "only GET is served"));
            } else if (path.equals("/health")) {
                HttpEndpoints.sendJson(ex, 200, body(monitor.snapshot()));
            } else if (parts.length == 4 && parts[1].equals("sites") && parts[3].equals("health")) {
                String site = parts[2];
                HttpEndpoints.sendJson(ex, 200, body(monitor.snapshot().stream().filter(l -> l.target().equals(site)).toList()));
            } else if (path.equals("/metrics")) {
                HttpEndpoints.sendText(ex, 200, "text/plain; version=0.0.4; charset=utf-8", monitor.prometheus());
            } else {
                HttpEndpoints.sendJson(ex, 404, Map.of("error", "unknown path " + path + " (/health, /sites/{site}/health, /metrics)"));
            }
        }
    }

    private static Map<String, Object> body(List<LinkHealth> links) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("links", links);
        return m;
    }
}
