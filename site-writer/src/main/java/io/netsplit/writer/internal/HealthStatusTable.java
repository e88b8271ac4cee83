package io.netsplit.writer.internal;

import io.netsplit.writer.SiteWriterConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checkers' newest status per checker, followed from the {@code health.status} topic
 * ({@code writer.health.topic}) on the site's own cluster, and the {@link DivergenceGate} it makes: writes are refused
 * while a checker says this site is diverged. Started only with {@code writer.health.reject.when.diverged}.
 *
 * <p>A consumer of its own, without a group: it assigns every partition, reads from the beginning (the newest event
 * per checker is the state) and keeps following. The checker creates the topic; until it exists, it is looked for
 * again every few seconds (never auto-created here, so the checker's own settings win). Fail-open: no topic, no
 * event, or an unreadable record admit writes (see the README, "Rejecting writes while diverged").
 */
public final class HealthStatusTable implements WriteAdmission, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthStatusTable.class);

    /** How often a missing topic is looked for again, and the pause before reopening after a failure. */
    static final Duration RECHECK = Duration.ofSeconds(3);

    private final SiteWriterConfig config;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Where reading resumes after a reopen, so a reconnect does not replay older states over newer ones. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private volatile DivergenceGate gate;
    private volatile Optional<String> refusal = Optional.empty();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public HealthStatusTable(SiteWriterConfig config) {
        this.config = config;
        this.gate = DivergenceGate.open(config.site());
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("health-status-reader-" + config.site()).start(this::run);
    }

    /**
     * Waits until the events present at start have been read, or the topic was found missing; false on timeout (the
     * writer then admits writes until it has read them: fail-open).
     */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<String> refusal() {
        return refusal;
    }

    /** The current gate: the newest event of each checker. */
    public DivergenceGate gate() {
        return gate;
    }

    private void run() {
        String topic = config.healthTopic();
        boolean reportedMissing = false;
        while (!isClosed()) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                consumer = c;
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofMillis(Math.max(5_000,
                        config.kafkaTimeout().toMillis())));
                if (infos == null || infos.isEmpty()) {
                    if (!reportedMissing) {
                        log.info("health topic {} does not exist yet: accepting writes, looking again every {} s",
                                topic, RECHECK.toSeconds());
                        reportedMissing = true;
                    }
                    loaded.countDown();
                    pause(RECHECK);
                    continue;
                }
                if (reportedMissing) {
                    log.info("health topic {} found: following it", topic);
                    reportedMissing = false;
                }
                List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                c.assign(parts);
                for (TopicPartition tp : parts) {
                    Long position = resumeAt.get(tp);
                    if (position == null) {
                        c.seekToBeginning(List.of(tp));
                    } else {
                        c.seek(tp, position);
                    }
                }
                follow(c, parts, c.endOffsets(parts));
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                log.warn("reading health topic {} failed, keeping the last state and reopening: {}", topic,
                        e.toString());
                pause(RECHECK);
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> end) {
        while (!isClosed()) {
            ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(500));
            DivergenceGate next = gate;
            for (ConsumerRecord<String, byte[]> r : batch) {
                next = next.apply(r.key(), r.value(), problem -> log.warn(
                        "ignoring unreadable health event {}-{}@{} (keeping the last good state): {}",
                        r.topic(), r.partition(), r.offset(), problem));
            }
            for (TopicPartition tp : parts) {
                resumeAt.put(tp, c.position(tp));
            }
            publish(next);
            if (loaded.getCount() > 0 && parts.stream().allMatch(tp -> c.position(tp) >= end.getOrDefault(tp, 0L))) {
                log.info("health topic {} read: {}", config.healthTopic(),
                        refusal.map(r -> "rejecting writes: " + r).orElse("accepting writes"));
                loaded.countDown();
            }
        }
    }

    /**
     * Installs the next gate and logs when the writer starts or stops refusing writes. Called after every poll, also
     * one that brought no event: a status whose validity ran out stops refusing writes without a new event.
     */
    private void publish(DivergenceGate next) {
        Optional<String> was = refusal;
        Optional<String> now = next.refusal();
        gate = next;
        refusal = now;
        if (now.isPresent() && !now.equals(was)) {
            log.warn("rejecting writes: {}", now.get());
        } else if (now.isEmpty() && was.isPresent()) {
            log.info("accepting writes again: no health checker reports site {} diverged (or its status ran out)",
                    config.site());
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = KafkaClients.consumer(config, "health", false);
        // the checker creates its topic (one partition); a metadata lookup from here must not create it first
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return p;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void pause(Duration d) {
        try {
            closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.countDown();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
