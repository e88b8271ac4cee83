package io.netsplit.health.internal;

import io.netsplit.health.HealthChecker;
import io.netsplit.health.HealthReport;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;

import java.io.IOException;
import java.util.Map;

/**
 * The checker's HTTP API: {@code GET /health} (the last report; 503 before the first check),
 * {@code POST /check} (check now, answer with that report), {@code GET /changes} (status changes so far),
 * {@code GET /metrics} (Prometheus) and {@code GET /ready}; on the kit's {@link JsonHttpServer}, so an unknown path is a
 * 404, a wrong method a 405 with {@code Allow}, and a failure a 500, each as {@code {"error": "..."}}.
 */
public final class HealthHttpServer implements AutoCloseable {

    private final JsonHttpServer server;

    public HealthHttpServer(HealthChecker checker, String host, int port) throws IOException {
        this.server = JsonHttpServer.builder("health-http").host(host).port(port).threads(4)
                .get("/health", r -> report(checker.current()))
                .post("/check", r -> report(checker.checkNow()))
                .get("/changes", r -> Response.ok(Map.of("changes", checker.changes())))
                .get("/ready", r -> Response.ok(Map.of("ready", true)))
                .get("/metrics", r -> Response.prometheus(checker.prometheus()))
                .build().start();
    }

    public int port() {
        return server.port();
    }

    private static Response report(HealthReport r) {
        return r == null ? Response.json(503, Map.of("error", "no check has finished yet")) : Response.ok(r);
    }

    @Override
    public void close() {
        server.close();
    }
}
