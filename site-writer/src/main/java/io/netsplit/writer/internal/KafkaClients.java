package io.netsplit.writer.internal;

import io.netsplit.schemas.Topics;
import io.netsplit.writer.SiteWriterConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka client properties the writer uses, derived from its configuration in one place. */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * The transactional producer: acks=all and idempotence (implied by transactions), one transactional.id per site
     * so that a second writer process fences the first. Every blocking call is bounded by the broker timeout.
     */
    static Map<String, Object> producer(SiteWriterConfig config) {
        long timeout = config.kafkaTimeout().toMillis();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "netsplit-writer-" + config.site());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(300, timeout * 6 / 10));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        // commit flushes first: let a failed send surface as itself before commit's own bound expires
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout * 2);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(10_000, timeout * 4));
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.putAll(config.kafkaOverrides());
        return p;
    }

    /** A consumer without a group (the writer assigns partitions itself) at the given isolation level. */
    static Map<String, Object> consumer(SiteWriterConfig config, String purpose, boolean readCommitted) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "netsplit-writer-" + config.site() + "-" + purpose);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(5_000, config.kafkaTimeout().toMillis()));
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(5_000, config.kafkaTimeout().toMillis()));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.putAll(config.kafkaOverrides());
        return p;
    }

    /** Serde properties for the registry, for {@code io.netsplit.schemas.Topics}. */
    static Map<String, Object> serde(SiteWriterConfig config) {
        return Topics.registry(config.schemaRegistryUrl());
    }
}
