package io.netsplit.schemas.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.SampleRecords;
import io.netsplit.schemas.registry.RestSchemaRegistryClient;
import io.netsplit.schemas.serde.AvroDeserializer;
import io.netsplit.schemas.serde.AvroSerdeConfig;
import io.netsplit.schemas.serde.AvroSerializer;
import io.netsplit.schemas.serde.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The acceptance test: ChangeEvents produced with the serde to site A of a two-site lab, read back by a
 * fresh consumer whose deserializer knows no schema and fetches it by id from the real registry.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class ChangeEventsThroughLabIT {

    private static final int COUNT = 50;

    @Test
    void shouldProduceChangeEventsToSiteAAndReadThemBackByRegistryId(Lab lab) throws Exception {
        // Given a fresh topic on us-east
        assertThat(lab.sites()).hasSizeGreaterThanOrEqualTo(2);
        String bootstrap = lab.site("us-east").bootstrap();
        String topic = "changes-serde-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        List<ChangeEvent> written = LongStream.rangeClosed(1, COUNT)
                .mapToObj(i -> SampleRecords.changeEvent("user" + (i % 7), i))
                .toList();

        // When a producer configured only by properties writes them with the serde (acks=all, idempotent)
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        producerProps.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, lab.registryUrl());
        try (KafkaProducer<String, ChangeEvent> producer = new KafkaProducer<>(producerProps)) {
            for (ChangeEvent event : written) {
                producer.send(new ProducerRecord<>(topic, event.getKey(), event)).get(30, TimeUnit.SECONDS);
            }
        }

        // Then a fresh consumer, whose deserializer has an empty cache, reads every event back in order
        Map<String, Object> consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        consumerProps.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, lab.registryUrl());
        consumerProps.put(AvroSerdeConfig.VALUE_TYPE_CONFIG, ChangeEvent.class.getName());
        List<ConsumerRecord<String, ChangeEvent>> read = readAll(consumerProps, topic);
        assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(written);
        assertThat(read).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getKey()));

        // And the bytes on the broker are Confluent wire format, naming a schema the registry serves by id
        Map<String, Object> rawProps = new HashMap<>(consumerProps);
        rawProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> raw = readAll(rawProps, topic);
        Set<Integer> ids = raw.stream().map(r -> {
            assertThat(r.value()[0]).isEqualTo(WireFormat.MAGIC_BYTE);
            return WireFormat.schemaId(r.value());
        }).collect(java.util.stream.Collectors.toSet());
        assertThat(ids).hasSize(1);
        try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(lab.registryUrl())) {
            int id = ids.iterator().next();
            assertThat(registry.getSchemaById(id).getFullName()).isEqualTo(ChangeEvent.getClassSchema().getFullName());
            assertThat(registry.lookupId(topic + "-value", ChangeEvent.getClassSchema())).isEqualTo(id);
        }
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(Map<String, Object> props, String topic) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= COUNT;
            });
        }
        return records;
    }
}
