package io.netsplit.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.SampleRecords;
import io.netsplit.schemas.serde.AvroDeserializer;
import io.netsplit.schemas.serde.AvroSerializer;
import io.netsplit.schemas.serde.IncompatibleSchemaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema evolution as the lab's real registry judges it (global compatibility BACKWARD): optional fields may be
 * added; a required field without default may not; under FULL, removing a required field is rejected too. The
 * registry's own message reaches the caller.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class SchemaEvolutionIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SchemaEvolutionIT.class);

    private static final Schema V1 = parse("""
            {"type":"record","name":"Profile","namespace":"io.netsplit.it","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"}]}""");
    private static final Schema V2_OPTIONAL_EMAIL = parse("""
            {"type":"record","name":"Profile","namespace":"io.netsplit.it","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"},
              {"name":"email","type":["null","string"],"default":null}]}""");
    private static final Schema V3_REQUIRED_COUNTRY = parse("""
            {"type":"record","name":"Profile","namespace":"io.netsplit.it","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"},
              {"name":"email","type":["null","string"],"default":null},{"name":"country","type":"string"}]}""");
    private static final Schema V3_WITHOUT_AGE = parse("""
            {"type":"record","name":"Profile","namespace":"io.netsplit.it","fields":[
              {"name":"name","type":"string"},{"name":"email","type":["null","string"],"default":null}]}""");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private RestSchemaRegistryClient registry;

    @BeforeEach
    void connect(Lab lab) {
        registry = new RestSchemaRegistryClient(lab.registryUrl());
    }

    @AfterEach
    void disconnect() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldRunWithBackwardAsTheGlobalLevel() {
        assertThat(registry.getGlobalCompatibility()).isEqualTo("BACKWARD");
    }

    @Test
    void shouldTreatAFreshSubjectAsCompatibleAndWithoutALevelOfItsOwn() {
        String subject = "evo-fresh-" + run + "-value";

        assertThat(registry.testCompatibility(subject, V1).compatible()).isTrue();
        assertThat(registry.getSubjectCompatibility(subject)).isEmpty();
        assertThatThrownBy(() -> registry.lookupId(subject, V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void shouldReportUnknownSchemaIdsAsNotFound() {
        assertThatThrownBy(() -> registry.getSchemaById(Integer.MAX_VALUE - 1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageContaining("rejected GET /schemas/ids/" + (Integer.MAX_VALUE - 1) + ": HTTP 404");
    }

    @Test
    void shouldAcceptAnOptionalFieldUnderBackward() {
        String subject = "evo-optional-" + run + "-value";
        int v1 = registry.register(subject, V1);

        CompatibilityResult check = registry.testCompatibility(subject, V2_OPTIONAL_EMAIL);
        int v2 = registry.register(subject, V2_OPTIONAL_EMAIL);

        assertThat(check.compatible()).isTrue();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.getSchemaById(v2).getField("email")).isNotNull();
    }

    @Test
    void shouldRejectARequiredFieldWithoutDefaultWithTheRegistrysMessage(Lab lab) {
        String subject = "evo-required-" + run + "-value";
        registry.register(subject, V1);
        registry.register(subject, V2_OPTIONAL_EMAIL);

        assertThat(registry.testCompatibility(subject, V3_REQUIRED_COUNTRY).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register(subject, V3_REQUIRED_COUNTRY))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    log.info("registry rejected a required field without default: {}", e.getMessage());
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.registryMessage()).isNotBlank();
                    assertThat(e.getMessage())
                            .startsWith("schema registry at " + lab.registryUrl() + " rejected POST /subjects/" + subject
                                    + "/versions: HTTP 409")
                            .endsWith(": " + e.registryMessage());
                });
    }

    @Test
    void shouldRejectRemovingARequiredFieldUnderFull() {
        String subject = "evo-remove-" + run + "-value";
        registry.register(subject, V1);
        registry.register(subject, V2_OPTIONAL_EMAIL);
        // removing a field is BACKWARD compatible (new readers ignore it); FULL also requires old readers to cope
        assertThat(registry.testCompatibility(subject, V3_WITHOUT_AGE).compatible()).isTrue();

        assertThat(registry.setSubjectCompatibility(subject, "FULL")).isEqualTo("FULL");
        assertThat(registry.getSubjectCompatibility(subject)).contains("FULL");

        assertThat(registry.testCompatibility(subject, V3_WITHOUT_AGE).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register(subject, V3_WITHOUT_AGE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.getMessage()).endsWith(": " + e.registryMessage());
                });
    }

    @Test
    void shouldSurfaceTheRejectionThroughTheSerializer(Lab lab) {
        // Given a topic whose value subject holds a ChangeEvent that the current one cannot read (no 'key' default)
        String topic = "evo-serde-" + run;
        registry.register(topic + "-value", parse("""
                {"type":"record","name":"ChangeEvent","namespace":"io.netsplit.schemas",
                 "fields":[{"name":"legacy","type":"string"}]}"""));

        try (RestSchemaRegistryClient producerSide = new RestSchemaRegistryClient(lab.registryUrl())) {
            AvroSerializer<ChangeEvent> serializer = new AvroSerializer<>(producerSide, true, false);

            assertThatThrownBy(() -> serializer.serialize(topic, SampleRecords.changeEvent("user42", 1)))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("rejected POST /subjects/" + topic + "-value/versions: HTTP 409")
                    .hasMessageEndingWith("(registering io.netsplit.schemas.ChangeEvent under subject '" + topic + "-value')");
        }
    }

    @Test
    void shouldReadRecordsAnOlderWriterRegisteredIntoTheCurrentClass(Lab lab) throws IOException {
        // Given a ChangeEvent written by an older release (no changedFields, no idempotencyKey), registered for real
        Schema v0 = parse("""
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
        String topic = "evo-reader-" + run;
        int id = registry.register(topic + "-value", v0);
        // the current schema is a BACKWARD-compatible successor
        assertThat(registry.testCompatibility(topic + "-value", ChangeEvent.getClassSchema()).compatible()).isTrue();
        GenericRecord old = new GenericData.Record(v0);
        GenericRecord dot = new GenericData.Record(v0.getField("dot").schema());
        dot.put("site", "eu-west");
        dot.put("counter", 6L);
        GenericRecord hlc = new GenericData.Record(v0.getField("hlc").schema());
        hlc.put("physicalMillis", 1_763_000_000_000L);
        hlc.put("logical", 1);
        old.put("key", "user42");
        old.put("originSite", "eu-west");
        old.put("dot", dot);
        old.put("versionVector", Map.of("eu-west", 6L));
        old.put("version", 6L);
        old.put("hlc", hlc);
        old.put("op", new GenericData.EnumSymbol(v0.getField("op").schema(), "UPSERT"));
        old.put("fields", Map.of("status", "offline"));
        old.put("wallClockMillis", 1_763_000_000_999L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v0).write(old, encoder);
        encoder.flush();

        // When a consumer with the current class and a fresh registry client reads it
        try (RestSchemaRegistryClient consumerSide = new RestSchemaRegistryClient(lab.registryUrl())) {
            ChangeEvent read = new AvroDeserializer<>(ChangeEvent.class, consumerSide).deserialize(topic, out.toByteArray());

            // Then the old fields are there and the new ones take their defaults
            assertThat(read.getDot().getSite()).isEqualTo("eu-west");
            assertThat(read.getFields()).containsEntry("status", "offline");
            assertThat(read.getChangedFields()).isEmpty();
            assertThat(read.getIdempotencyKey()).isNull();
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
