package io.netsplit.audit.internal;

import io.netsplit.kit.Pause;
import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.store.AuditStore;
import io.netsplit.audit.store.AuditStoreException;
import io.netsplit.schemas.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The sink's consumer loop: reads the audit topic (read_committed: the reconciler writes it in
 * transactions), stores each polled batch in one store transaction, and only then commits the
 * batch's offsets. A crash between the two re-reads the batch, which the store's (deciding site,
 * sequence) key makes harmless. A batch the store cannot take is rewound and retried.
 */
public final class AuditConsumer implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditConsumer.class);

    private final AuditSinkConfig config;
    private final AuditStore store;
    private final AuditDecoder decoder;
    private final SinkMetrics metrics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile Throwable failure;

    public AuditConsumer(AuditSinkConfig config, AuditStore store, AuditDecoder decoder, SinkMetrics metrics) {
        this.config = config;
        this.store = store;
        this.decoder = decoder;
        this.metrics = metrics;
        this.consumer = new KafkaConsumer<>(consumerProperties(config, config.groupId()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Consumer settings shared by the sink and the repair: read_committed, no auto-commit. */
    static Properties consumerProperties(AuditSinkConfig config, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "netsplit-audit-" + config.site() + (groupId == null ? "-repair" : ""));
        p.putAll(config.consumerOverrides());
        return p;
    }

    /** Starts the loop on its own thread. */
    public void start() {
        thread = Thread.ofPlatform().name("audit-consumer-" + config.site()).start(this);
    }

    /** True while the loop runs and has not failed. */
    public boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive() && failure == null;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(config.topic()));
            log.info("audit sink {} reading {} into {}", config.site(), config.topic(), store.describe());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                if (!records.isEmpty()) {
                    storeThenCommit(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
                log.error("audit consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("audit consumer of site {} stopped: {}", config.site(), e.toString(), e);
        } finally {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                log.debug("closing the audit consumer failed: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    private void storeThenCommit(ConsumerRecords<String, byte[]> records) {
        try {
            AuditDecoder.Batch batch = decoder.decode(records);
            AuditStore.StoreResult result = store.store(batch.decisions(), batch.anomalies());
            metrics.stored.increment(result.inserted());
            metrics.duplicate.increment(result.alreadyStored());
            metrics.unreadable.increment(batch.anomalies().size());
            metrics.collisions.increment(result.collisions().size());
            for (var a : batch.anomalies()) {
                log.warn("unreadable audit record at {}: {}", a.source(), a.detail());
            }
            for (var c : result.collisions()) {
                log.warn("audit sequence collision at {}: {}", c.source(), c.detail());
            }
            // only now: the store's transaction has committed
            commit(records);
            log.debug("stored {} audit records ({} already stored)", result.inserted(), result.alreadyStored());
        } catch (AuditStoreException | SchemaRegistryUnavailableException e) {
            metrics.storeFailures.increment();
            log.warn("audit batch of {} records not stored, retrying in {} ms: {}", records.count(),
                    config.retryBackoff().toMillis(), e.getMessage());
            rewind(records);
            if (!Pause.sleep(config.retryBackoff(), closing)) {
                running = false;
            }
        }
    }

    /**
     * Commits the batch's offsets. If that fails (a rebalance took the partitions, the coordinator
     * moved), the records stay stored and are simply read again later, which stores nothing twice.
     */
    private void commit(ConsumerRecords<String, byte[]> records) {
        try {
            consumer.commitSync(nextOffsets(records));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("committing offsets of a stored audit batch failed; it will be read again: {}", e.toString());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close();
        }
    }
}
