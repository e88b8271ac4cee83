package io.netsplit.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema V1 = parse("""
            {"type":"record","name":"Profile","namespace":"t","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"}]}""");
    private static final Schema V2_OPTIONAL_EMAIL = parse("""
            {"type":"record","name":"Profile","namespace":"t","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"},
              {"name":"email","type":["null","string"],"default":null}]}""");
    private static final Schema REQUIRED_COUNTRY = parse("""
            {"type":"record","name":"Profile","namespace":"t","fields":[
              {"name":"name","type":"string"},{"name":"age","type":"int"},{"name":"country","type":"string"}]}""");
    private static final Schema WITHOUT_AGE = parse("""
            {"type":"record","name":"Profile","namespace":"t","fields":[{"name":"name","type":"string"}]}""");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void shouldGiveOneIdPerSchemaAcrossSubjects() {
        int a = registry.register("a-value", V1);
        int b = registry.register("b-value", V1);

        assertThat(a).isEqualTo(b);
        assertThat(registry.register("a-value", V1)).isEqualTo(a);
        assertThat(registry.getSchemaById(a)).isEqualTo(V1);
    }

    @Test
    void shouldApplyBackwardCompatibilityByDefault() {
        registry.register("p-value", V1);

        assertThat(registry.register("p-value", V2_OPTIONAL_EMAIL)).isPositive();
        assertThat(registry.testCompatibility("p-value", REQUIRED_COUNTRY).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register("p-value", REQUIRED_COUNTRY))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isIncompatible()).isTrue())
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("country");
    }

    @Test
    void shouldRejectRemovingARequiredFieldUnderFull() {
        registry.register("p-value", V1);
        assertThat(registry.testCompatibility("p-value", WITHOUT_AGE).compatible()).isTrue();

        registry.setSubjectCompatibility("p-value", "FULL");

        assertThat(registry.getSubjectCompatibility("p-value")).contains("FULL");
        assertThatThrownBy(() -> registry.register("p-value", WITHOUT_AGE))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("age");
    }

    @Test
    void shouldAnswerLikeARegistryForUnknownThings() {
        assertThatThrownBy(() -> registry.getSchemaById(77))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> registry.lookupId("none-value", V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> registry.setGlobalCompatibility("SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(422));
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
