package io.netsplit.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.SampleRecords;
import io.netsplit.schemas.serde.AvroDeserializer;
import io.netsplit.schemas.serde.AvroSerializer;
import io.netsplit.schemas.serde.WireFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every record type through the lab's real schema registry: registered by one client, read by a fresh one. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class RegistryRoundTripIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldRoundTripChangeEvents(Lab lab) {
        roundTrip(lab, "rt-changes-" + run, SampleRecords.changeEvent("user42", 7), ChangeEvent.class);
    }

    @Test
    void shouldRoundTripConvergedRecords(Lab lab) {
        roundTrip(lab, "rt-converged-" + run, SampleRecords.convergedRecord("user42"), ConvergedRecord.class);
    }

    @Test
    void shouldRoundTripAuditEvents(Lab lab) {
        roundTrip(lab, "rt-audit-" + run, SampleRecords.auditEvent("user42", 1), AuditEvent.class);
    }

    @Test
    void shouldGiveTheSameIdOnReRegistrationAndLookup(Lab lab) {
        String subject = "rt-ids-" + run + "-value";
        int id;
        try (RestSchemaRegistryClient first = new RestSchemaRegistryClient(lab.registryUrl())) {
            id = first.register(subject, ChangeEvent.getClassSchema());
        }
        try (RestSchemaRegistryClient second = new RestSchemaRegistryClient(lab.registryUrl())) {
            assertThat(second.register(subject, ChangeEvent.getClassSchema())).isEqualTo(id);
            assertThat(second.lookupId(subject, ChangeEvent.getClassSchema())).isEqualTo(id);
            assertThat(second.getSchemaById(id).getFullName()).isEqualTo("io.netsplit.schemas.ChangeEvent");
            assertThat(second.getSchemaById(id).getFields()).extracting(f -> f.name())
                    .containsExactlyElementsOf(ChangeEvent.getClassSchema().getFields().stream().map(f -> f.name()).toList());
        }
    }

    private static <T extends SpecificRecord> void roundTrip(Lab lab, String topic, T record, Class<T> type) {
        byte[] bytes;
        try (RestSchemaRegistryClient writerSide = new RestSchemaRegistryClient(lab.registryUrl())) {
            bytes = new AvroSerializer<T>(writerSide, true, false).serialize(topic, record);
        }
        // a fresh client has an empty cache: it must fetch the writer schema by the id in the bytes
        try (RestSchemaRegistryClient readerSide = new RestSchemaRegistryClient(lab.registryUrl())) {
            int id = WireFormat.schemaId(bytes);
            T read = new AvroDeserializer<T>(type, readerSide).deserialize(topic, bytes);

            assertThat(read).isEqualTo(record);
            assertThat(readerSide.lookupId(topic + "-value", record.getSchema())).isEqualTo(id);
        }
    }
}
