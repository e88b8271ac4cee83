package io.netsplit.writer.internal;

import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.serde.AvroDeserializer;
import io.netsplit.writer.SiteWriterConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's converged view, held in memory: a thread reads the compacted {@code converged} topic (read_committed)
 * from the beginning and keeps following it. GET answers from it, and minting starts from it. "The writer has seen
 * a write" means: the write is in this table.
 */
public final class ConvergedTable implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConvergedTable.class);

    private final SiteWriterConfig config;
    private final Map<String, ConvergedRecord> records = new ConcurrentHashMap<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicLong unreadable = new AtomicLong();
    private final Map<String, Long> maxCounters = new ConcurrentHashMap<>();
    private final AvroDeserializer<ConvergedRecord> deserializer = new AvroDeserializer<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public ConvergedTable(SiteWriterConfig config) {
        this.config = config;
        deserializer.configure(KafkaClients.serde(config, ConvergedRecord.class), false);
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("converged-reader-" + config.site()).start(this::run);
    }

    /** Waits until the records present at start have been read; false on timeout. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /** The converged record of a key, or null if the site has none (or a tombstone). */
    public ConvergedRecord get(String key) {
        return records.get(key);
    }

    public int size() {
        return records.size();
    }

    /**
     * The highest counter of {@code site} in any vector this table has read (tombstoned keys included): a floor for
     * the site's dot counter that survives even the loss of the site's own changes topic.
     */
    public long maxCounter(String site) {
        return maxCounters.getOrDefault(site, 0L);
    }

    /** Records of the topic that could not be deserialized and were skipped. */
    public long unreadable() {
        return unreadable.get();
    }

    private void run() {
        String topic = config.convergedTopic();
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(config, "converged", true))) {
                consumer = c;
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofMillis(Math.max(5_000,
                        config.kafkaTimeout().toMillis())));
                if (infos == null || infos.isEmpty()) {
                    log.info("topic {} has no partitions yet; retrying", topic);
                    sleep(1000);
                    continue;
                }
                List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                follow(c, parts, end);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("reading {} failed, reopening: {}", topic, e.toString());
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> end) {
        while (running) {
            ConsumerRecords<String, byte[]> batch = c.poll(Duration.ofMillis(200));
            for (ConsumerRecord<String, byte[]> r : batch) {
                apply(r);
            }
            if (!isLoaded() && parts.stream().allMatch(tp -> c.position(tp) >= end.getOrDefault(tp, 0L))) {
                log.info("converged view loaded: {} keys", records.size());
                loaded.countDown();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            unreadable.incrementAndGet();
            return;
        }
        if (r.value() == null) {
            records.remove(r.key());
            return;
        }
        try {
            ConvergedRecord record = deserializer.deserialize(r.topic(), r.value());
            records.put(r.key(), record);
            record.getVersionVector().forEach((site, counter) -> maxCounters.merge(site, counter, Math::max));
        } catch (RuntimeException e) {
            if (UnreadYet.isRegistryFailure(e)) {
                // not skipped: the follower reopens and reads again from the beginning, and the view is not
                // loaded (the writer not ready) until every record could be read
                throw new UnreadYet(r, e);
            }
            unreadable.incrementAndGet();
            log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
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
        deserializer.close();
    }
}
