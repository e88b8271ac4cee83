package io.netsplit.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic with the serdes of its keys and values: what a client needs to read or write it. Built by {@link Topics}
 * from the names of the kit's {@code TopicName}; closing it closes both serdes.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) implements AutoCloseable {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    @Override
    public void close() {
        keySerde.close();
        valueSerde.close();
    }
}
