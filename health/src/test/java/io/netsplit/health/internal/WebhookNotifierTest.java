package io.netsplit.health.internal;

import com.sun.net.httpserver.HttpServer;
import io.netsplit.health.HealthStatus;
import io.netsplit.health.StatusChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
                List.of(), List.of(), List.of("evidence " + sequence), null);
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
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a publisher that blocks hangs the test: this turns that into a failure
    void shouldNeverBlockThePublisherWhileTheReceiverHoldsADelivery() throws Exception {
        // Given a receiver that takes the first request and answers nothing until the test lets it
        CountDownLatch answer = new CountDownLatch(1);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/hook", ex -> {
            calls.incrementAndGet();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        try (WebhookNotifier n = new WebhookNotifier(url, Duration.ofMinutes(5), 10, 100, 3)) {
            n.publish(change(1, HealthStatus.HEALTHY, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 1);

            // When far more events are published than the notifier queues (1000), while that delivery is held
            int published = 1 + 1500;
            for (int i = 2; i <= published; i++) {
                n.publish(change(i, HealthStatus.HEALTHY, null));
            }

            // Then every call returned although nothing was answered: each event is waiting in the queue or
            // counted as dropped, none was waited for
            assertThat(calls.get()).as("requests the receiver got").isEqualTo(1);
            assertThat(n.delivered()).isZero();
            assertThat(n.dropped()).as("events beyond the queue").isPositive();
            assertThat(n.pending() + n.dropped()).isEqualTo(published - 1);
        } finally {
            answer.countDown();
        }
    }

    @Test
    void shouldGiveUpAnUnreachableReceiverAfterTheAttemptLimit() throws Exception {
        // a socket bound and never listening refuses every connection for as long as it is open; holding the port
        // means no other socket takes it, and no client of ours gets it as its own local port (self-connect)
        try (Socket nobody = new Socket()) {
            nobody.bind(new InetSocketAddress("127.0.0.1", 0));
            String url = "http://127.0.0.1:" + nobody.getLocalPort() + "/nobody";
            try (WebhookNotifier n = new WebhookNotifier(url, Duration.ofSeconds(30), 10, 20, 3)) {
                n.publish(change(1, HealthStatus.HEALTHY, null));
                n.publish(change(2, HealthStatus.PARTITIONED, HealthStatus.HEALTHY));

                await().atMost(Duration.ofSeconds(30)).until(() -> n.dropped() == 2);
                // three attempts each, then given up: nothing left waiting
                assertThat(n.failedAttempts()).isEqualTo(6);
                assertThat(n.delivered()).isZero();
                assertThat(n.pending()).isZero();
            }
        }
    }
}
