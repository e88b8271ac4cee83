package io.netsplit.schemas;

import io.netsplit.kit.TopicName;
import io.netsplit.schemas.serde.AvroSerde;
import io.netsplit.schemas.serde.AvroSerdeConfig;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place where a topic meets its record types: each factory answers a {@link Topic} with its serdes, by the
 * name a service configured or the default of the kit's {@link TopicName}. Every producer and consumer of the Avro
 * topics ({@code changes}, {@code converged}, {@code audit}) takes its serdes from here; the others carry Kafka's own
 * types (the dead-letter topic the input's bytes as read, {@code health.status} JSON text, the reconciler's log bytes). {@code serdeConfig} holds the {@code schema.registry.url} (and any other
 * {@code AvroSerdeConfig} key; {@link #registry(String)} builds the usual one). Keys are the entity key (or the
 * checker's name) as UTF-8 text on the wire; the reconciler's topology carries them as the same bytes.
 */
public final class Topics {

    private Topics() {
    }

    /** The serde configuration naming only the schema registry. */
    public static Map<String, Object> registry(String registryUrl) {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
    }

    /** {@code changes} (or {@code name}): entity key → {@link ChangeEvent}. */
    public static Topic<String, ChangeEvent> changes(String name, Map<String, ?> serdeConfig) {
        return new Topic<>(name, Serdes.String(), AvroSerde.configured(ChangeEvent.class, serdeConfig, false));
    }

    /** The default {@code changes} topic. */
    public static Topic<String, ChangeEvent> changes(Map<String, ?> serdeConfig) {
        return changes(TopicName.CHANGES.defaultName(), serdeConfig);
    }

    /** {@code converged} (or {@code name}), compacted: entity key → {@link ConvergedRecord}. */
    public static Topic<String, ConvergedRecord> converged(String name, Map<String, ?> serdeConfig) {
        return new Topic<>(name, Serdes.String(), AvroSerde.configured(ConvergedRecord.class, serdeConfig, false));
    }

    /** The default {@code converged} topic. */
    public static Topic<String, ConvergedRecord> converged(Map<String, ?> serdeConfig) {
        return converged(TopicName.CONVERGED.defaultName(), serdeConfig);
    }

    /** {@code audit} (or {@code name}): entity key → {@link AuditEvent}, one per merge decision. */
    public static Topic<String, AuditEvent> audit(String name, Map<String, ?> serdeConfig) {
        return new Topic<>(name, Serdes.String(), AvroSerde.configured(AuditEvent.class, serdeConfig, false));
    }

    /** The default {@code audit} topic. */
    public static Topic<String, AuditEvent> audit(Map<String, ?> serdeConfig) {
        return audit(TopicName.AUDIT.defaultName(), serdeConfig);
    }
}
