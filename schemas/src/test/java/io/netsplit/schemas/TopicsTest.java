package io.netsplit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.schemas.registry.InMemorySchemaRegistry;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldPairEachDefaultTopicNameWithItsRecordSerdes() {
        String scope = "topics-test-" + UUID.randomUUID();
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", "mock://" + scope);
        try (Topic<String, ChangeEvent> changes = Topics.changes(serdeConfig);
             Topic<String, ConvergedRecord> converged = Topics.converged("converged-2", serdeConfig)) {
            assertThat(changes.name()).isEqualTo("changes");
            assertThat(converged.name()).isEqualTo("converged-2");

            ChangeEvent change = SampleRecords.changeEvent("user42", 7);
            byte[] bytes = changes.valueSerde().serializer().serialize(changes.name(), change);
            assertThat(changes.valueSerde().deserializer().deserialize(changes.name(), bytes)).isEqualTo(change);
            ConvergedRecord record = SampleRecords.convergedRecord("user42");
            byte[] key = converged.keySerde().serializer().serialize(converged.name(), "user42");
            assertThat(converged.keySerde().deserializer().deserialize(converged.name(), key)).isEqualTo("user42");
            assertThat(converged.valueSerde().deserializer().deserialize(converged.name(),
                    converged.valueSerde().serializer().serialize(converged.name(), record))).isEqualTo(record);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void shouldCarryAuditEventsUnderTheAuditTopic() {
        String scope = "topics-test-" + UUID.randomUUID();
        try (Topic<String, AuditEvent> audit = Topics.audit(Topics.registry("mock://" + scope))) {
            assertThat(audit.name()).isEqualTo("audit");
            AuditEvent event = SampleRecords.auditEvent("user42", 3);
            byte[] bytes = audit.valueSerde().serializer().serialize(audit.name(), event);
            assertThat(audit.valueSerde().deserializer().deserialize(audit.name(), bytes)).isEqualTo(event);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }
}
