package io.netsplit.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.SampleRecords;
import io.netsplit.schemas.registry.InMemorySchemaRegistry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, true, false);

    private <T extends SpecificRecord> T roundTrip(String topic, T record, Class<T> type) {
        byte[] bytes = serializer.serialize(topic, record);
        return new AvroDeserializer<>(type, registry).deserialize(topic, bytes);
    }

    @Test
    void shouldRoundTripEveryRecordType() {
        ChangeEvent change = SampleRecords.changeEvent("user42", 7);
        ConvergedRecord converged = SampleRecords.convergedRecord("user42");
        AuditEvent audit = SampleRecords.auditEvent("user42", 12);

        assertThat(roundTrip("changes", change, ChangeEvent.class)).isEqualTo(change);
        assertThat(roundTrip("converged", converged, ConvergedRecord.class)).isEqualTo(converged);
        assertThat(roundTrip("audit", audit, AuditEvent.class)).isEqualTo(audit);
    }

    @Test
    void shouldWriteMagicByteSchemaIdThenAvroBody() {
        ChangeEvent change = SampleRecords.changeEvent("user42", 7);

        byte[] bytes = serializer.serialize("changes", change);

        int id = registry.lookupId("changes-value", ChangeEvent.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
        byte[] body = Arrays.copyOfRange(bytes, WireFormat.HEADER_SIZE, bytes.length);
        assertThat(genericRead(change.getSchema(), body)).isEqualTo(org.apache.avro.generic.GenericData.get().deepCopy(change.getSchema(), change));
    }

    @Test
    void shouldWriteBigEndianSchemaIds() {
        // Given a registry that has already handed out 0x0102 ids
        for (int i = 1; i < 0x0102; i++) {
            registry.register("filler-" + i, org.apache.avro.Schema.createFixed("F" + i, null, "io.filler", 1));
        }

        byte[] bytes = serializer.serialize("changes", SampleRecords.changeEvent("user42", 1));

        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 0, 0, 1, 2);
    }

    @Test
    void shouldUseTopicNameStrategySubjects() {
        AvroSerializer<ChangeEvent> keySerializer = new AvroSerializer<>(registry, true, true);

        serializer.serialize("orders", SampleRecords.changeEvent("k", 1));
        keySerializer.serialize("orders", SampleRecords.changeEvent("k", 1));

        assertThat(registry.lookupId("orders-value", ChangeEvent.getClassSchema())).isPositive();
        assertThat(registry.lookupId("orders-key", ChangeEvent.getClassSchema())).isPositive();
        assertThat(TopicNameStrategy.subject("us-east.changes", false)).isEqualTo("us-east.changes-value");
    }

    @Test
    void shouldPassNullThroughAsTombstone() {
        assertThat(serializer.serialize("changes", null)).isNull();
        assertThat(new AvroDeserializer<>(ChangeEvent.class, registry).deserialize("changes", null)).isNull();
    }

    @Test
    void shouldRejectUnknownMagicByte() {
        byte[] bytes = serializer.serialize("changes", SampleRecords.changeEvent("user42", 7));
        bytes[0] = 0x7b; // '{': someone produced JSON to an Avro topic

        assertThatThrownBy(() -> deserializer().deserialize("changes", bytes))
                .isInstanceOf(MalformedPayloadException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown magic byte 0x7b at offset 0, expected 0x00 (Confluent wire format)");
    }

    @Test
    void shouldRejectPayloadsShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer().deserialize("changes", new byte[0]))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("payload too short: 0 bytes, expected at least 5 (magic byte 0x00 and a 4-byte schema id, Confluent wire format)");
        assertThatThrownBy(() -> deserializer().deserialize("changes", new byte[] {0, 0, 0, 1}))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("payload too short: 4 bytes");
    }

    @Test
    void shouldRejectTruncatedBody() {
        byte[] bytes = serializer.serialize("changes", SampleRecords.changeEvent("user42", 7));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> deserializer().deserialize("changes", truncated))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("truncated payload: the " + (truncated.length - 5) + "-byte Avro body of a record from topic 'changes' (schema id ")
                .hasMessageEndingWith(", io.netsplit.schemas.ChangeEvent) ends before the record is complete");
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = serializer.serialize("changes", SampleRecords.changeEvent("user42", 7));
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> deserializer().deserialize("changes", padded))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("bytes left over after the Avro body");
    }

    @Test
    void shouldRejectUnknownSchemaId() {
        byte[] bytes = serializer.serialize("changes", SampleRecords.changeEvent("user42", 7));
        ByteBuffer.wrap(bytes).putInt(1, 4242);

        assertThatThrownBy(() -> deserializer().deserialize("changes", bytes))
                .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(4242))
                .hasMessageStartingWith("unknown schema id 4242 in a record from topic 'changes': ")
                .hasMessageContaining("Schema 4242 not found");
    }

    @Test
    void shouldOnlyEverFailCorruptBytesWithSerdeExceptions() {
        // Given valid payloads of every type, flip random bytes in the body many times over
        Random random = new Random(20261122L);
        byte[][] valid = {
                serializer.serialize("changes", SampleRecords.changeEvent("user42", 7)),
                serializer.serialize("converged", SampleRecords.convergedRecord("user42")),
                serializer.serialize("audit", SampleRecords.auditEvent("user42", 3))};
        Deserializer<SpecificRecord> reader = new AvroDeserializer<>(null, registry);
        int rejected = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = valid[round % valid.length].clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[WireFormat.HEADER_SIZE + random.nextInt(bytes.length - WireFormat.HEADER_SIZE)] = (byte) random.nextInt(256);
            }
            try {
                reader.deserialize("changes", bytes);
            } catch (AvroSerdeException e) {
                rejected++;
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
        // a flipped byte inside a string stays a valid record; most flips must still be caught
        assertThat(rejected).isGreaterThan(300);
    }

    @Test
    void shouldReadIntoTheClassTheWriterSchemaNamesWhenNoTypeIsGiven() {
        AuditEvent audit = SampleRecords.auditEvent("user42", 1);
        byte[] bytes = serializer.serialize("audit", audit);

        SpecificRecord read = new AvroDeserializer<>(null, registry).deserialize("audit", bytes);

        assertThat(read).isEqualTo(audit);
    }

    @Test
    void shouldFailClearlyWhenLookupOnlyAndSchemaNotRegistered() {
        AvroSerializer<ChangeEvent> lookupOnly = new AvroSerializer<>(registry, false, false);

        assertThatThrownBy(() -> lookupOnly.serialize("fresh", SampleRecords.changeEvent("k", 1)))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageStartingWith("schema io.netsplit.schemas.ChangeEvent is not registered under subject 'fresh-value' and auto.register.schemas is false: ");
    }

    @Test
    void shouldSurfaceRegistryRejectionAsIncompatibleSchema() {
        // Given a subject whose latest schema an event without a default for 'key' cannot read
        registry.register("changes-value", new org.apache.avro.Schema.Parser().parse("""
                {"type":"record","name":"ChangeEvent","namespace":"io.netsplit.schemas",
                 "fields":[{"name":"legacy","type":"string"}]}"""));

        assertThatThrownBy(() -> serializer.serialize("changes", SampleRecords.changeEvent("k", 1)))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("HTTP 409 (error_code 409): Schema being registered is incompatible with an earlier schema for subject \"changes-value\"")
                .hasMessageEndingWith("(registering io.netsplit.schemas.ChangeEvent under subject 'changes-value')");
    }

    @Test
    void shouldBeConfigurableFromKafkaProperties() {
        String scope = "serde-test-" + UUID.randomUUID();
        Map<String, Object> props = Map.of(
                "schema.registry.url", "mock://" + scope,
                "avro.value.type", ChangeEvent.class.getName(),
                "bootstrap.servers", "ignored:9092");
        try (Serializer<ChangeEvent> producerSide = new AvroSerializer<>();
             Deserializer<ChangeEvent> consumerSide = new AvroDeserializer<>()) {
            producerSide.configure(props, false);
            consumerSide.configure(props, false);
            ChangeEvent change = SampleRecords.changeEvent("user42", 7);

            assertThat(consumerSide.deserialize("changes", producerSide.serialize("changes", change))).isEqualTo(change);
            assertThat(InMemorySchemaRegistry.scope(scope).lookupId("changes-value", ChangeEvent.getClassSchema())).isPositive();
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void shouldBuildASerdeFromProperties() {
        String scope = "serde-test-" + UUID.randomUUID();
        try (AvroSerde<ConvergedRecord> serde = AvroSerde.configured(ConvergedRecord.class,
                Map.of("schema.registry.url", "mock://" + scope), false)) {
            ConvergedRecord converged = SampleRecords.convergedRecord("user42");

            byte[] bytes = serde.serializer().serialize("converged", converged);

            assertThat(serde.deserializer().deserialize("converged", bytes)).isEqualTo(converged);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void shouldNameTheMissingOrBadConfigKey() {
        AvroSerializer<ChangeEvent> unconfigured = new AvroSerializer<>();

        assertThatThrownBy(() -> unconfigured.configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> unconfigured.configure(Map.of("schema.registry.url", "ftp://x"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("must be http://host[:port][/path]");
        assertThatThrownBy(() -> unconfigured.configure(
                Map.of("schema.registry.url", "http://x:1", "schema.registry.retry.attempts", "0"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.retry.attempts");
        assertThatThrownBy(() -> new AvroDeserializer<ChangeEvent>().configure(
                Map.of("schema.registry.url", "http://x:1", "avro.value.type", String.class.getName()), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("avro.value.type");
    }

    @Test
    void shouldMapRetryKeysOntoTheRegistryClient() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(
                "schema.registry.url", "http://registry:8080/apis/ccompat/v7/",
                "schema.registry.retry.attempts", "7",
                "schema.registry.retry.backoff.ms", "50",
                "schema.registry.retry.backoff.max.ms", "800",
                "schema.registry.request.timeout.ms", "1500",
                "auto.register.schemas", "false"));

        io.netsplit.schemas.registry.RegistryClientSettings settings = config.registryClientSettings();

        assertThat(settings.baseUrl()).isEqualTo("http://registry:8080/apis/ccompat/v7");
        assertThat(settings.maxAttempts()).isEqualTo(7);
        assertThat(settings.initialBackoff()).isEqualTo(java.time.Duration.ofMillis(50));
        assertThat(settings.maxBackoff()).isEqualTo(java.time.Duration.ofMillis(800));
        assertThat(settings.requestTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(new AvroSerdeConfig(Map.of("schema.registry.url", "http://r:1")).autoRegisterSchemas()).isTrue();
    }

    @Test
    void shouldUseTheRegisteredIdWhenOnlyLookingUp() {
        int id = registry.register("changes-value", ChangeEvent.getClassSchema());
        AvroSerializer<ChangeEvent> lookupOnly = new AvroSerializer<>(registry, false, false);

        byte[] bytes = lookupOnly.serialize("changes", SampleRecords.changeEvent("k", 1));

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    }

    @Test
    void shouldUseKeySubjectsForAKeySerdeConfiguredByKafka() {
        String scope = "serde-test-" + UUID.randomUUID();
        try (AvroSerde<AuditEvent> keys = new AvroSerde<>(AuditEvent.class)) {
            keys.configure(Map.of("schema.registry.url", "mock://" + scope), true);
            AuditEvent audit = SampleRecords.auditEvent("user42", 1);

            byte[] bytes = keys.serializer().serialize("audit", audit);

            assertThat(keys.deserializer().deserialize("audit", bytes)).isEqualTo(audit);
            assertThat(InMemorySchemaRegistry.scope(scope).lookupId("audit-key", AuditEvent.getClassSchema()))
                    .isEqualTo(WireFormat.schemaId(bytes));
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    private AvroDeserializer<ChangeEvent> deserializer() {
        return new AvroDeserializer<>(ChangeEvent.class, registry);
    }

    /** The body decoded by Avro's generic reader: independent of the deserializer under test. */
    private static Object genericRead(org.apache.avro.Schema schema, byte[] body) {
        try {
            org.apache.avro.io.BinaryDecoder decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(body, null);
            Object read = new org.apache.avro.generic.GenericDatumReader<Object>(schema).read(null, decoder);
            assertThat(decoder.isEnd()).as("whole body consumed").isTrue();
            return read;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
