package io.netsplit.audit.internal;

import io.netsplit.schemas.Topics;
import io.netsplit.schemas.Topic;
import io.netsplit.audit.AuditRecords;
import io.netsplit.audit.store.AuditAnomaly;
import io.netsplit.audit.store.SourcePosition;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.serde.AvroSerdeException;
import io.netsplit.schemas.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw audit topic records into store rows. A record that cannot be read (corrupt payload,
 * unknown schema id, incompatible schema, no value) becomes an {@link AuditAnomaly} rather than
 * disappearing; a registry that cannot be reached is a transient failure and is thrown, so the batch
 * is retried.
 */
public final class AuditDecoder implements AutoCloseable {

    /** The rows and anomalies of one batch. */
    public record Batch(List<StoredDecision> decisions, List<AuditAnomaly> anomalies) {
    }

    private final Topic<String, AuditEvent> audit;
    private final Deserializer<AuditEvent> deserializer;

    public AuditDecoder(String registryUrl) {
        // the topic's name does not matter for decoding: each record is decoded under its own topic
        this.audit = Topics.audit(Topics.registry(registryUrl));
        this.deserializer = audit.valueSerde().deserializer();
    }

    /** Decodes every record; throws {@link SchemaRegistryUnavailableException} if the registry is unreachable. */
    public Batch decode(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<StoredDecision> decisions = new ArrayList<>();
        List<AuditAnomaly> anomalies = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            SourcePosition at = new SourcePosition(r.topic(), r.partition(), r.offset());
            if (r.value() == null) {
                anomalies.add(new AuditAnomaly(AuditAnomaly.UNREADABLE, null, null, "record without a value", at,
                        System.currentTimeMillis()));
                continue;
            }
            try {
                AuditEvent e = deserializer.deserialize(r.topic(), r.value());
                decisions.add(AuditRecords.toStored(e, at));
            } catch (SchemaRegistryUnavailableException e) {
                throw e;
            } catch (AvroSerdeException | IllegalArgumentException | NullPointerException e) {
                anomalies.add(new AuditAnomaly(AuditAnomaly.UNREADABLE, null, null, String.valueOf(e.getMessage()), at,
                        System.currentTimeMillis()));
            }
        }
        return new Batch(decisions, anomalies);
    }

    @Override
    public void close() {
        audit.close();
    }
}
