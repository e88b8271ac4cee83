package io.netsplit.health.internal;

import io.netsplit.health.StatusChange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Writes every status change to the status topic of every site (key = the checker's name, value = the
 * JSON event), creating the topic with one partition on first use. A site that cannot be reached keeps
 * its events in an outbox, in order, and gets them once it answers again: a site-writer that consults
 * the topic never misses the change that ends a divergence. Runs on its own thread.
 */
public final class StatusTopicPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusTopicPublisher.class);
    private static final int OUTBOX_CAPACITY = 10_000;

    private final String checker;
    private final String topic;
    private final int timeoutMs;
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
            .name("health-status-topic").unstarted(r));

    public StatusTopicPublisher(String checker, String topic, Map<String, String> bootstrapBySite, int timeoutMs) {
        this.checker = checker;
        this.topic = topic;
        this.timeoutMs = timeoutMs;
        bootstrapBySite.forEach((site, bootstrap) -> sites.put(site, new Site(site, bootstrap)));
    }

    /** Adds {@code event} to every site's outbox; returns at once. */
    public void publish(StatusChange event) {
        byte[] value = encode(event);
        if (value != null) {
            executor.execute(() -> sites.values().forEach(s -> {
                s.heartbeat = null; // it repeats the status this change ends: sent after it, it would bring that status back
                s.enqueue(value, event.sequence());
            }));
        }
    }

    /**
     * Puts {@code heartbeat} in every site's heartbeat slot, replacing one not yet sent: a heartbeat only renews the
     * current status, so only the newest matters, and it never displaces a status change in the outbox.
     */
    public void heartbeat(StatusChange heartbeat) {
        byte[] value = encode(heartbeat);
        if (value != null) {
            executor.execute(() -> sites.values().forEach(s -> s.heartbeat = value));
        }
    }

    /** The event as JSON, or null (logged) when it cannot be written. */
    private static byte[] encode(StatusChange event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (Exception e) {
            log.error("{} #{} cannot be written as JSON: {}", event.type(), event.sequence(), e.toString());
            return null;
        }
    }

    /** Sends what waits in the outboxes of {@code reachable} sites; returns at once. */
    public void flush(Collection<String> reachable) {
        List<String> targets = List.copyOf(reachable);
        executor.execute(() -> targets.forEach(name -> {
            Site s = sites.get(name);
            if (s != null) {
                s.flush();
            }
        }));
    }

    /** Events waiting for a site (for tests and metrics); blocks until earlier work is done. */
    public int waiting(String site) {
        try {
            return executor.submit(() -> sites.get(site).outbox.size()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("status topic publisher busy: " + e, e);
        }
    }

    private final class Site {
        final String name;
        final String bootstrap;
        final Deque<byte[]> outbox = new ArrayDeque<>();
        /** The newest heartbeat not sent yet; sent after the outbox, so it never overtakes a change. */
        byte[] heartbeat;
        KafkaProducer<String, byte[]> producer;
        boolean topicReady;

        Site(String name, String bootstrap) {
            this.name = name;
            this.bootstrap = bootstrap;
        }

        void enqueue(byte[] value, long sequence) {
            if (outbox.size() >= OUTBOX_CAPACITY) {
                outbox.removeFirst();
                log.error("status topic at {}: outbox full, the oldest waiting status change dropped (now #{})", name, sequence);
            }
            outbox.addLast(value);
        }

        void flush() {
            try {
                if ((!outbox.isEmpty() || heartbeat != null) && !topicReady) {
                    createTopic();
                }
                while (!outbox.isEmpty()) {
                    send(outbox.peekFirst());
                    outbox.removeFirst();
                }
                if (heartbeat != null) {
                    send(heartbeat);
                    heartbeat = null;
                }
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                log.warn("status topic {} at {}: {} event(s) wait: {}", topic, name, outbox.size(), cause.toString());
            }
        }

        void send(byte[] value) throws Exception {
            producer().send(new ProducerRecord<>(topic, checker, value)).get(timeoutMs * 5L, TimeUnit.MILLISECONDS);
        }

        void createTopic() throws Exception {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs * 2);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs * 5);
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                        .get(timeoutMs * 5L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            topicReady = true;
        }

        KafkaProducer<String, byte[]> producer() {
            if (producer == null) {
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                p.put(ProducerConfig.CLIENT_ID_CONFIG, "netsplit-health-" + name);
                p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs * 2);
                p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs * 2);
                p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs * 4);
                p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
                producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            }
            return producer;
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Site s : sites.values()) {
            if (s.producer != null) {
                s.producer.close(Duration.ofSeconds(2));
            }
        }
    }
}
