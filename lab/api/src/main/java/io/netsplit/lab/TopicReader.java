package io.netsplit.lab;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Reads a whole topic, from the beginning to the end offsets of the moment, committed records only,
 * without a consumer group: the drills' final reads of {@code converged} and {@code audit}, a replay's
 * decision ids, a conflict resolution's look at a converged record, tests.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /** Every record of {@code topic}, partition by partition in offset order. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrap, String topic, Deserializer<K> keys,
                                                            Deserializer<V> values, Duration timeout) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        forEach(bootstrap, topic, keys, values, timeout, out::add);
        return out;
    }

    /**
     * Hands every record of {@code topic} to {@code action}, without keeping them; an
     * {@link IllegalStateException} naming the topic and the site's bootstrap if the end is not reached
     * within {@code timeout}.
     */
    public static <K, V> void forEach(String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values,
                                      Duration timeout, Consumer<ConsumerRecord<K, V>> action) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(p, keys, values)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : infos) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " at " + bootstrap + " did not reach its end within "
                            + timeout.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(action);
            }
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
