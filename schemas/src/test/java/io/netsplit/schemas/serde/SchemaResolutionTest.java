package io.netsplit.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.SampleRecords;
import io.netsplit.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Reader/writer schema resolution: records written with another version of a schema are read into the generated
 * class through Avro's resolution rules. Both schema versions are spelled out here.
 */
class SchemaResolutionTest {

    /** ChangeEvent as a first release might have had it: no changedFields, no idempotencyKey. */
    private static final Schema CHANGE_EVENT_V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "ChangeEvent", "namespace": "io.netsplit.schemas", "fields": [
              {"name": "key", "type": "string"},
              {"name": "originSite", "type": "string"},
              {"name": "dot", "type": {"type": "record", "name": "Dot", "fields": [
                {"name": "site", "type": "string"}, {"name": "counter", "type": "long"}]}},
              {"name": "versionVector", "type": {"type": "map", "values": "long"}},
              {"name": "version", "type": "long"},
              {"name": "hlc", "type": {"type": "record", "name": "Hlc", "fields": [
                {"name": "physicalMillis", "type": "long"}, {"name": "logical", "type": "int"}]}},
              {"name": "op", "type": {"type": "enum", "name": "Operation", "symbols": ["UPSERT", "PATCH", "DELETE"]}},
              {"name": "fields", "type": {"type": "map", "values": ["null", "boolean", "long", "double", "string"]}},
              {"name": "wallClockMillis", "type": "long"}
            ]}""");

    /** ChangeEvent as a later release might have it: an extra optional field this code does not know. */
    private static final Schema CHANGE_EVENT_V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "ChangeEvent", "namespace": "io.netsplit.schemas", "fields": [
              {"name": "key", "type": "string"},
              {"name": "originSite", "type": "string"},
              {"name": "dot", "type": {"type": "record", "name": "Dot", "fields": [
                {"name": "site", "type": "string"}, {"name": "counter", "type": "long"}]}},
              {"name": "versionVector", "type": {"type": "map", "values": "long"}},
              {"name": "version", "type": "long"},
              {"name": "hlc", "type": {"type": "record", "name": "Hlc", "fields": [
                {"name": "physicalMillis", "type": "long"}, {"name": "logical", "type": "int"}]}},
              {"name": "op", "type": {"type": "enum", "name": "Operation", "symbols": ["UPSERT", "PATCH", "DELETE"]}},
              {"name": "fields", "type": {"type": "map", "values": ["null", "boolean", "long", "double", "string"]}},
              {"name": "changedFields", "type": {"type": "array", "items": "string"}, "default": []},
              {"name": "idempotencyKey", "type": ["null", "string"], "default": null},
              {"name": "wallClockMillis", "type": "long"},
              {"name": "region", "type": ["null", "string"], "default": null}
            ]}""");

    /** A writer that never had wallClockMillis, which the reader requires without a default. */
    private static final Schema CHANGE_EVENT_WITHOUT_WALL_CLOCK = new Schema.Parser().parse("""
            {"type": "record", "name": "ChangeEvent", "namespace": "io.netsplit.schemas", "fields": [
              {"name": "key", "type": "string"},
              {"name": "originSite", "type": "string"}
            ]}""");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroDeserializer<ChangeEvent> reader = new AvroDeserializer<>(ChangeEvent.class, registry);

    @Test
    void shouldFillDefaultsForFieldsAnOlderWriterDidNotHave() {
        // Given a record written with v0, whose id the registry knows
        int id = registry.register("changes-value", CHANGE_EVENT_V0);
        GenericRecord old = v0Record();

        // When the current code reads it
        ChangeEvent read = reader.deserialize("changes", wire(id, CHANGE_EVENT_V0, old));

        // Then every field v0 had is there and the newer ones take their defaults
        assertThat(read.getKey()).isEqualTo("user42");
        assertThat(read.getDot().getCounter()).isEqualTo(7L);
        assertThat(read.getFields()).containsEntry("status", "online").containsEntry("logins", 3L);
        assertThat(read.getChangedFields()).isEmpty();
        assertThat(read.getIdempotencyKey()).isNull();
        assertThat(read.getWallClockMillis()).isEqualTo(1_763_000_000_123L);
    }

    @Test
    void shouldSkipFieldsANewerWriterAdded() {
        int id = registry.register("changes-value", CHANGE_EVENT_V2);
        ChangeEvent current = SampleRecords.changeEvent("user42", 7);
        GenericRecord newer = new GenericData.Record(CHANGE_EVENT_V2);
        for (Schema.Field f : ChangeEvent.getClassSchema().getFields()) {
            newer.put(f.name(), GenericData.get().deepCopy(f.schema(), current.get(f.pos())));
        }
        newer.put("region", "emea");

        ChangeEvent read = reader.deserialize("changes", wire(id, CHANGE_EVENT_V2, newer));

        assertThat(read).isEqualTo(current);
    }

    @Test
    void shouldReadAConvergedRecordOfReleaseV1WithoutMaxHlc() throws IOException {
        // Given a converged record written by release v1's reconciler, which had no maxHlc
        Schema v1;
        try (InputStream in = ConvergedRecord.class.getResourceAsStream("released/v1/ConvergedRecord.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        int id = registry.register("converged-value", v1);
        ConvergedRecord current = SampleRecords.convergedRecord("user42");
        GenericRecord old = new GenericData.Record(v1);
        for (Schema.Field f : v1.getFields()) {
            Schema.Field mine = ConvergedRecord.getClassSchema().getField(f.name());
            old.put(f.name(), GenericData.get().deepCopy(mine.schema(), current.get(mine.pos())));
        }

        // When the current code reads it
        ConvergedRecord read = new AvroDeserializer<>(ConvergedRecord.class, registry)
                .deserialize("converged", wire(id, v1, old));

        // Then it is the same record with no maxHlc (a writer falls back to the siblings' readings)
        assertThat(read.getMaxHlc()).isNull();
        current.setMaxHlc(null);
        assertThat(read).isEqualTo(current);
    }

    @Test
    void shouldRejectAWriterMissingARequiredFieldWithAClearError() {
        int id = registry.register("legacy-value", CHANGE_EVENT_WITHOUT_WALL_CLOCK);
        GenericRecord legacy = new GenericData.Record(CHANGE_EVENT_WITHOUT_WALL_CLOCK);
        legacy.put("key", "user42");
        legacy.put("originSite", "us-east");

        assertThatThrownBy(() -> reader.deserialize("legacy", wire(id, CHANGE_EVENT_WITHOUT_WALL_CLOCK, legacy)))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageStartingWith("cannot read a record from topic 'legacy' written with schema id " + id
                        + " (io.netsplit.schemas.ChangeEvent) as io.netsplit.schemas.ChangeEvent: READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("wallClockMillis");
    }

    private static GenericRecord v0Record() {
        GenericRecord dot = new GenericData.Record(CHANGE_EVENT_V0.getField("dot").schema());
        dot.put("site", "us-east");
        dot.put("counter", 7L);
        GenericRecord hlc = new GenericData.Record(CHANGE_EVENT_V0.getField("hlc").schema());
        hlc.put("physicalMillis", 1_763_000_000_000L);
        hlc.put("logical", 0);
        GenericRecord old = new GenericData.Record(CHANGE_EVENT_V0);
        old.put("key", "user42");
        old.put("originSite", "us-east");
        old.put("dot", dot);
        old.put("versionVector", Map.of("us-east", 7L));
        old.put("version", 7L);
        old.put("hlc", hlc);
        old.put("op", new GenericData.EnumSymbol(CHANGE_EVENT_V0.getField("op").schema(), "UPSERT"));
        old.put("fields", Map.of("status", "online", "logins", 3L));
        old.put("wallClockMillis", 1_763_000_000_123L);
        return old;
    }

    /** Confluent wire format, built by hand so the test does not depend on the serializer. */
    static byte[] wire(int schemaId, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
