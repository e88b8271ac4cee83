package io.netsplit.health.internal;

import com.sun.net.httpserver.HttpServer;
import io.netsplit.health.HealthStatus;
import io.netsplit.health.StatusChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Webhook delivery against a real HTTP server in this JVM (no Kafka involved). */
class WebhookNotifierTest {

    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String receiver(int failFirst) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() <= failFirst) {
                ex.sendResponseHeaders(503, -1);
            } else {
                bodies.add(new String(body, StandardCharsets.UTF_8));
                ex.sendResponseHeaders(204, -1);
            }
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static StatusChange change(long sequence, HealthStatus status, HealthStatus previous) {
        return new StatusChange(StatusChange.TYPE, "test", sequence, status, previous, 1000 * sequence, "t", null, null, null,
                List.of(), List.of(), List.of("evidence " + sequence));
    }

    @Test
    void shouldDeliverEveryEventOnceInOrderRetryingFailures() throws Exception {
        try (WebhookNotifier n = new WebhookNotifier(receiver(2), Duration.ofSeconds(2), 10, 50, 100)) {
            n.publish(change(1, HealthStatus.HEALTHY, null));
            n.publish(change(2, HealthStatus.PARTITIONED, HealthStatus.HEALTHY));
            n.publish(change(3, HealthStatus.HEALTHY, HealthStatus.PARTITIONED));
            await().atMost(Duration.ofSeconds(10)).until(() -> n.delivered() == 3);
            assertThat(bodies.stream().map(Json::readChange).map(StatusChange::sequence)).containsExactly(1L, 2L, 3L);
            assertThat(Json.readChange(bodies.get(1))).isEqualTo(change(2, HealthStatus.PARTITIONED, HealthStatus.HEALTHY));
            assertThat(n.failedAttempts()).isEqualTo(2);
            assertThat(n.dropped()).isZero();
        }
    }

    @Test
    void shouldNeverBlockThePublisherAndGiveUpAfterTheAttemptLimit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (WebhookNotifier n = new WebhookNotifier("http://127.0.0.1:" + port + "/nobody", Duration.ofMillis(500), 10, 20, 3)) {
            long t0 = System.nanoTime();
            for (int i = 1; i <= 50; i++) {
                n.publish(change(i, HealthStatus.HEALTHY, null));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> n.dropped() >= 2);
            assertThat(n.delivered()).isZero();
            assertThat(n.failedAttempts()).isGreaterThanOrEqualTo(6);
        }
    }
}
