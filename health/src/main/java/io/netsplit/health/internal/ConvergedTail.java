package io.netsplit.health.internal;

import io.netsplit.health.Observation.TableView;
import io.netsplit.reconcile.merge.TableDigest;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Follows one site's {@code converged} topic from its beginning, committed records only, without a
 * consumer group, and keeps the newest record's entry digest per key: the table users read, summed the
 * way the reconciler sums its own ({@link TableDigest}). Notes when it last stood at the topic's end,
 * so a check can tell "the topic differs" from "the reader is behind".
 */
public final class ConvergedTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConvergedTail.class);
    private static final long END_CHECK_MS = 300;

    private final String site;
    private final String topic;
    private final Properties consumerConfig = new Properties();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<ConvergedRecord> serde;
    private final Thread thread;
    private volatile boolean running = true;

    private final Map<String, byte[]> entries = new HashMap<>();
    private TableDigest digest = TableDigest.empty();
    private long caughtUpAtMs = -1;
    private String error;
    private long unreadable;

    public ConvergedTail(String site, String bootstrap, String registryUrl, String topic, int requestTimeoutMs) {
        this.site = site;
        this.topic = topic;
        Properties p = consumerConfig;
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "netsplit-health-converged-" + site);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(requestTimeoutMs, 1000));
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(requestTimeoutMs, 1000));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.serde = AvroSerde.configured(ConvergedRecord.class, Map.of("schema.registry.url", registryUrl), false);
        this.thread = Thread.ofPlatform().daemon().name("health-converged-" + site).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** The table as of now; caught up when the reader stood at the topic's end at or after {@code sinceMs}. */
    public synchronized TableView view(long sinceMs) {
        return new TableView(caughtUpAtMs >= sinceMs, digest.hex(), digest.count(),
                error != null ? error : (unreadable > 0 ? unreadable + " unreadable record(s) skipped" : null));
    }

    /** A copy of the newest entry digest per key. */
    public synchronized Map<String, byte[]> entries() {
        return new HashMap<>(entries);
    }

    private void run() {
        List<TopicPartition> parts = List.of();
        long lastEndCheck = 0;
        while (running) {
            try {
                if (consumer == null) {
                    // created here, retried: a site whose name does not resolve yet (a container still
                    // starting) must not stop the checker
                    consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
                }
                if (parts.isEmpty()) {
                    parts = partitions();
                    if (parts.isEmpty()) {
                        sleep(1000);
                        continue;
                    }
                    consumer.assign(parts);
                    consumer.seekToBeginning(parts);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
                long now = System.currentTimeMillis();
                if (now - lastEndCheck >= END_CHECK_MS) {
                    lastEndCheck = now;
                    Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                    boolean atEnd = true;
                    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                        atEnd &= consumer.position(e.getKey()) >= e.getValue();
                    }
                    synchronized (this) {
                        error = null;
                        if (atEnd) {
                            caughtUpAtMs = now;
                        }
                    }
                }
            } catch (WakeupException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                log.debug("reading {} at {}: {}", topic, site, e.toString());
                sleep(500);
            }
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        }
        return out;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        byte[] entry = null;
        if (r.value() != null) {
            try {
                entry = ConvergedDigests.entry(serde.deserializer().deserialize(topic, r.value()));
            } catch (RuntimeException e) {
                synchronized (this) {
                    unreadable++;
                }
                log.warn("converged record at {} {}-{}@{} unreadable, skipped: {}", site, r.topic(), r.partition(), r.offset(),
                        e.getMessage());
                return;
            }
        }
        synchronized (this) {
            byte[] old = key == null ? null : entries.get(key);
            if (old != null) {
                digest = digest.minus(old);
            }
            if (key == null) {
                return;
            }
            if (entry == null) {
                entries.remove(key);
            } else {
                entries.put(key, entry);
                digest = digest.plus(entry);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        c = consumer;
        if (c != null) {
            c.close(Duration.ofSeconds(2));
        }
        serde.close();
    }
}
