package io.netsplit.schemas;

import io.netsplit.kit.TopicName;
import io.netsplit.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place where a topic meets its record types: each factory answers a {@link Topic} with its serdes, by the
 * name a service configured or the default of the kit's {@link TopicName}. {@code serdeConfig} holds the
 * {@code schema.registry.url} (and any other {@code AvroSerdeConfig} key).
 */
public final class Topics {

    private Topics() {
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
}
