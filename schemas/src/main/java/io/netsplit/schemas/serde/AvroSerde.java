package io.netsplit.schemas.serde;

import io.netsplit.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka {@link Serde} for one generated Avro record type in the Confluent wire format: an {@link AvroSerializer}
 * and an {@link AvroDeserializer} sharing one schema registry client.
 *
 * <pre>{@code
 * Serde<ChangeEvent> changes = AvroSerde.configured(ChangeEvent.class,
 *         Map.of("schema.registry.url", "http://127.0.0.1:8081"), false);
 * }</pre>
 *
 * @param <T> the generated record type
 */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final boolean configurable;
    private SchemaRegistryClient ownedRegistry;

    /** For configuration by Kafka: reads into {@code avro.value.type}/{@code avro.key.type} or the writer's class. */
    public AvroSerde() {
        this(null);
    }

    /** A serde for {@code type}, to be {@link #configure(Map, boolean)}d. */
    public AvroSerde(Class<T> type) {
        this.type = type;
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
        this.configurable = true;
    }

    /**
     * A ready serde for {@code type} using {@code registry}, which stays the caller's to close.
     *
     * @param autoRegister whether the serializer registers schemas
     * @param isKey        whether it is for record keys ({@code <topic>-key}) or values ({@code <topic>-value})
     */
    public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.type = type;
        this.serializer = new AvroSerializer<>(registry, autoRegister, isKey);
        this.deserializer = new AvroDeserializer<>(type, registry);
        this.configurable = false;
    }

    /** A serde for {@code type} configured from Kafka-style properties ({@link AvroSerdeConfig}). */
    public static <T extends SpecificRecord> AvroSerde<T> configured(Class<T> type, Map<String, ?> configs, boolean isKey) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    /** Reads {@link AvroSerdeConfig} keys; does nothing on a serde built with a registry client. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (!configurable) {
            return;
        }
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (ownedRegistry != null) {
            ownedRegistry.close();
        }
        ownedRegistry = config.createRegistryClient();
        serializer.configure(config, ownedRegistry, false);
        serializer.isKey(isKey);
        deserializer.configure(config, isKey, ownedRegistry, false);
        if (type != null) {
            deserializer.readInto(type);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        if (ownedRegistry != null) {
            ownedRegistry.close();
            ownedRegistry = null;
        }
    }
}
