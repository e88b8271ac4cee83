package io.netsplit.audit;

import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.serde.AvroSerde;
import io.netsplit.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Topics, producers and lab descriptors for the integration tests. */
public final class KafkaFixtures {

    private KafkaFixtures() {
    }

    public static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    /** A fresh topic named {@code prefix-<random>}. */
    public static String createTopic(String bootstrap, String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    public static KafkaProducer<String, AuditEvent> producer(String bootstrap, String registryUrl, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        AvroSerde<AuditEvent> serde = AvroSerde.configured(AuditEvent.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        return new KafkaProducer<>(p, new StringSerializer(), serde.serializer());
    }

    /** Produces the events (key = entity key) and waits for every acknowledgement. */
    public static void produce(String bootstrap, String registryUrl, String topic, List<AuditEvent> events) throws Exception {
        try (KafkaProducer<String, AuditEvent> producer = producer(bootstrap, registryUrl, null)) {
            for (AuditEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.getKey(), e)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Committed offsets of a consumer group equal the end of every partition of the topic. */
    public static boolean caughtUp(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions();
            for (var p : partitions) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                long end = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
                OffsetAndMetadata c = committed.get(tp);
                if (end > 0 && (c == null || c.offset() < end)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Writes a {@code lab.json} in {@code dir} describing one site with an audit sink at {@code auditUrl}. */
    public static Path describe(Path dir, String registryUrl, String site, String bootstrap, String auditUrl) {
        SiteDescriptor s = new SiteDescriptor(site, bootstrap);
        s.putService("audit", auditUrl);
        new LabDescriptor(1, "ready", null, dir.toString(), registryUrl, null, null, List.of(s), List.of(), Map.of(),
                List.of()).write(dir);
        return dir;
    }
}
