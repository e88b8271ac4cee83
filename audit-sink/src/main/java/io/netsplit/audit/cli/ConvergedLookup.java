package io.netsplit.audit.cli;

import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.serde.AvroSerde;
import io.netsplit.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds a key's current converged state at a site. Reads the site's compacted {@code converged}
 * topic (read_committed, from the start to the current end), keeping the latest record of the key:
 * it carries the conflict state and, while PENDING, the siblings with the fields they propose.
 */
public interface ConvergedLookup {

    /** The latest converged record of {@code key} at {@code site}, if the site has one. */
    Optional<ConvergedRecord> latest(String site, String key);

    /** A lookup reading the {@code topic} of each site through Kafka. */
    static ConvergedLookup kafka(Map<String, String> bootstrapBySite, String registryUrl, String topic) {
        return (site, key) -> {
            String bootstrap = bootstrapBySite.get(site);
            if (bootstrap == null) {
                throw new IllegalArgumentException("no site '" + site + "'; sites: " + bootstrapBySite.keySet());
            }
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "netsplit-conflicts-resolve");
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                    new ByteArrayDeserializer());
                 AvroSerde<ConvergedRecord> serde = AvroSerde.configured(ConvergedRecord.class,
                         Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                byte[] latest = null;
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("reading " + topic + " at " + site + " took more than 2 minutes");
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (key.equals(r.key())) {
                            latest = r.value();
                        }
                    }
                }
                return latest == null ? Optional.empty()
                        : Optional.of(serde.deserializer().deserialize(topic, latest));
            }
        };
    }
}
