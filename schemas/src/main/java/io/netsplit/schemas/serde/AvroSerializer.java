package io.netsplit.schemas.serde;

import io.netsplit.schemas.registry.SchemaRegistryClient;
import io.netsplit.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} writing generated Avro records (e.g. {@code ChangeEvent}) in the Confluent wire format:
 * magic byte {@code 0x00}, the 4-byte big-endian schema id, then the Avro binary body.
 *
 * <p>The schema id is that of the record's schema under the topic's subject ({@link TopicNameStrategy}:
 * {@code <topic>-value} or {@code <topic>-key}), registered when {@code auto.register.schemas} is true (the default)
 * and otherwise looked up. Ids are cached, so a known schema needs no registry. A {@code null} record is written as
 * {@code null} (a Kafka tombstone).
 *
 * <p>Build it from Kafka properties (no-arg constructor, then {@link #configure}; see {@link AvroSerdeConfig}) or
 * directly with a {@link SchemaRegistryClient}. Failures are {@link AvroSerdeException}s.
 *
 * @param <T> the generated record type
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final Map<Class<?>, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean autoRegister = true;
    private boolean isKey;

    /** For Kafka: instantiated from a class name, then {@link #configure(Map, boolean)}d. */
    public AvroSerializer() {
    }

    /**
     * A ready serializer using {@code registry}, which stays the caller's to close.
     *
     * @param autoRegister whether to register schemas (else only look them up)
     * @param isKey        whether it serializes record keys (subject {@code <topic>-key}) or values
     */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    /**
     * Reads {@link AvroSerdeConfig} keys. On a serializer built with a registry client, only {@code isKey} is taken.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            AvroSerdeConfig config = new AvroSerdeConfig(configs);
            configure(config, config.createRegistryClient(), true);
        }
    }

    /** Wires a serializer that {@link AvroSerde} configured; the client is closed by this serializer iff {@code owns}. */
    void configure(AvroSerdeConfig config, SchemaRegistryClient client, boolean owns) {
        this.registry = client;
        this.ownsRegistry = owns;
        this.autoRegister = config.autoRegisterSchemas();
    }

    void isKey(boolean isKey) {
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer is not configured: call configure() or build it with a registry client");
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer(record).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new AvroSerdeException("cannot serialize " + schema.getFullName() + " for topic '" + topic
                    + "' with schema id " + id + ": " + e, e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic, Schema schema) {
        String subject = TopicNameStrategy.subject(topic, isKey);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.lookupId(subject, schema);
        } catch (SchemaRegistryException e) {
            String doing = (autoRegister ? "registering " : "looking up ") + schema.getFullName()
                    + " under subject '" + subject + "'";
            if (!autoRegister && e.isNotFound()) {
                throw new AvroSerdeException("schema " + schema.getFullName() + " is not registered under subject '"
                        + subject + "' and auto.register.schemas is false: " + e.getMessage(), e);
            }
            throw RegistryFailures.translate(e, doing);
        }
    }

    private DatumWriter<T> writer(T record) {
        return writers.computeIfAbsent(record.getClass(), c -> new SpecificDatumWriter<>(record.getSchema(),
                GeneratedClassData.forClass(record.getClass())));
    }

    @Override
    public void close() {
        writers.clear();
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }
}
