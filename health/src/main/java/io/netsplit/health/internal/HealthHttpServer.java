package io.netsplit.health.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netsplit.health.HealthChecker;
import io.netsplit.health.HealthReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The checker's HTTP API: {@code GET /health} (the last report; 503 before the first check),
 * {@code POST /check} (check now, answer with that report), {@code GET /changes} (status changes so far),
 * {@code GET /metrics} (Prometheus) and {@code GET /ready}.
 */
public final class HealthHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthHttpServer.class);

    private final HttpServer server;
    private final HealthChecker checker;

    public HealthHttpServer(HealthChecker checker, String host, int port) throws IOException {
        this.checker = checker;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 50);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> Thread.ofPlatform().daemon().name("health-http").unstarted(r)));
        server.createContext("/health", ex -> handle(ex, "GET", () -> report(checker.current())));
        server.createContext("/check", ex -> handle(ex, "POST", () -> report(checker.checkNow())));
        server.createContext("/changes", ex -> handle(ex, "GET", () -> new Answer(200, Map.of("changes", checker.changes()))));
        server.createContext("/ready", ex -> handle(ex, "GET", () -> new Answer(200, Map.of("ready", true))));
        server.createContext("/metrics", this::metrics);
        server.createContext("/", ex -> handle(ex, "GET", () -> new Answer(404, Map.of("error", "no such endpoint: "
                + ex.getRequestURI().getPath() + "; try GET /health, POST /check, GET /changes, GET /metrics"))));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private record Answer(int status, Object body) {
    }

    private static Answer report(HealthReport r) {
        return r == null ? new Answer(503, Map.of("error", "no check has finished yet")) : new Answer(200, r);
    }

    private void handle(HttpExchange ex, String method, java.util.function.Supplier<Answer> action) throws IOException {
        try (ex) {
            Answer a;
            if (!ex.getRequestMethod().equals(method)) {
                ex.getResponseHeaders().add("Allow", method);
                a = new Answer(405, Map.of("error", ex.getRequestMethod() + " not allowed on " + ex.getRequestURI().getPath()
                        + "; use " + method));
            } else {
                try {
                    a = action.get();
                } catch (RuntimeException e) {
                    log.warn("{} failed: {}", ex.getRequestURI().getPath(), e.toString());
                    a = new Answer(500, Map.of("error", String.valueOf(e.getMessage())));
                }
            }
            byte[] body = Json.MAPPER.writeValueAsBytes(a.body());
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = checker.prometheus().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
