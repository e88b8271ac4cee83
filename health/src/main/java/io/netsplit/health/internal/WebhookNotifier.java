package io.netsplit.health.internal;

import io.netsplit.health.StatusChange;
import io.netsplit.kit.Backoff;
import io.netsplit.kit.Pause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers status changes to one webhook URL: a JSON POST per event, in order, each retried with
 * exponential backoff until a 2xx answer or the attempt limit. Runs on its own thread with a bounded
 * queue, so a slow or unreachable receiver never holds up the checker. A full queue or an exhausted
 * event is logged as an error and counted; the event is still on the status topic.
 */
public final class WebhookNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final int QUEUE_CAPACITY = 1000;

    private final String url;
    private final Duration timeout;
    private final Backoff backoff;
    private final int maxAttempts;
    private final HttpClient http;
    private final BlockingQueue<StatusChange> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public WebhookNotifier(String url, Duration timeout, long backoffMs, long backoffMaxMs, int maxAttempts) {
        this.url = url;
        this.timeout = timeout;
        this.backoff = Backoff.exponential(Duration.ofMillis(backoffMs), Duration.ofMillis(backoffMaxMs));
        this.maxAttempts = maxAttempts;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.thread = Thread.ofPlatform().daemon().name("health-webhook").start(this::run);
    }

    public String url() {
        return url;
    }

    /** Queues {@code event}; returns at once. */
    public void publish(StatusChange event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
            log.error("webhook {}: queue full ({} events waiting), status change #{} not delivered to it", url,
                    QUEUE_CAPACITY, event.sequence());
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Events queued and not yet delivered or given up. */
    public int pending() {
        return queue.size();
    }

    private void run() {
        while (running) {
            StatusChange event;
            try {
                event = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event != null && !deliver(event)) {
                return;
            }
        }
    }

    /** Delivers one event with retries; false when interrupted (closing). */
    private boolean deliver(StatusChange event) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(event);
        } catch (Exception e) {
            dropped.incrementAndGet();
            log.error("webhook {}: status change #{} cannot be written as JSON: {}", url, event.sequence(), e.toString());
            return true;
        }
        Backoff.Attempts retry = backoff.attempts();
        for (int attempt = 1; running; attempt++) {
            String failure;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("X-Netsplit-Event", StatusChange.TYPE)
                        .header("X-Netsplit-Sequence", Long.toString(event.sequence()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                    return true;
                }
                failure = "HTTP " + r.statusCode();
            } catch (InterruptedException e) {
                return false;
            } catch (Exception e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            failedAttempts.incrementAndGet();
            if (attempt >= maxAttempts) {
                dropped.incrementAndGet();
                log.error("webhook {}: status change #{} ({}) given up after {} attempts, last: {}", url, event.sequence(),
                        event.status().label(), attempt, failure);
                return true;
            }
            Duration wait = retry.next();
            log.warn("webhook {}: status change #{} attempt {} failed ({}); retrying in {} ms", url, event.sequence(),
                    attempt, failure, wait.toMillis());
            if (!Pause.sleep(wait)) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
