package io.netsplit.health.internal;

import io.netsplit.health.Observation.DlqView;
import io.netsplit.kit.TopicName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts one site's dead letters: the committed records of its {@code changes.dlq} and {@code changes.redrive}, read
 * on from where the last count stopped (offsets alone would count the transaction markers the reconciler's
 * exactly-once writes leave between records). A topic that does not exist yet counts 0 and is looked for again. The
 * first successful count is the baseline "at start".
 */
public final class DeadLetterCounter implements AutoCloseable {

    private static final List<String> TOPICS = List.of(TopicName.DLQ.defaultName(), TopicName.REDRIVE.defaultName());

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;
    private final Map<String, Long> counts = new HashMap<>();
    private final List<TopicPartition> assigned = new ArrayList<>();
    private Long atStart;
    private DlqView last;

    public DeadLetterCounter(String bootstrap, long timeoutMs) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeoutMs));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeoutMs));
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.timeout = Duration.ofMillis(Math.max(1000, timeoutMs));
        TOPICS.forEach(t -> counts.put(t, 0L));
    }

    /** The counts now, or the last ones with the error that kept this reading from succeeding. */
    public synchronized DlqView count() {
        try {
            assignNewPartitions();
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dead-letter topics were not read to their end within " + timeout.toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    counts.merge(r.topic(), 1L, Long::sum);
                }
            }
            long records = counts.get(TopicName.DLQ.defaultName());
            if (atStart == null) {
                atStart = records;
            }
            last = new DlqView(records, counts.get(TopicName.REDRIVE.defaultName()), atStart, null);
        } catch (RuntimeException e) {
            last = last == null ? new DlqView(0, 0, 0, e.toString())
                    : new DlqView(last.records(), last.redriven(), last.recordsAtStart(), e.toString());
        }
        return last;
    }

    private void assignNewPartitions() {
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
                TopicPartition tp = new TopicPartition(topic, i.partition());
                if (!assigned.contains(tp)) {
                    found.add(tp);
                }
            }
        }
        if (!found.isEmpty()) {
            assigned.addAll(found);
            consumer.assign(assigned);
            consumer.seekToBeginning(found);
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
