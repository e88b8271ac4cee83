package io.netsplit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules every schema in this module keeps: documented fields and types, one namespace, and BACKWARD compatibility
 * with every released version (kept under {@code src/test/resources/io/netsplit/schemas/released/}), so data
 * written by any release stays readable by the current classes.
 */
class SchemaDefinitionsTest {

    /** Released schema versions; add a directory here when a release ships a changed schema. */
    private static final List<String> RELEASES = List.of("v1");

    static Stream<Arguments> topLevelSchemas() {
        return Stream.of(
                Arguments.of("ChangeEvent", ChangeEvent.getClassSchema()),
                Arguments.of("ConvergedRecord", ConvergedRecord.getClassSchema()),
                Arguments.of("AuditEvent", AuditEvent.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelSchemas")
    void shouldDocumentEveryTypeAndField(String name, Schema schema) {
        List<String> undocumented = new ArrayList<>();
        for (Schema named : namedTypes(schema)) {
            if (isBlank(named.getDoc())) {
                undocumented.add(named.getFullName());
            }
            if (named.getType() == Schema.Type.RECORD) {
                for (Schema.Field f : named.getFields()) {
                    if (isBlank(f.doc())) {
                        undocumented.add(named.getName() + "." + f.name());
                    }
                }
            }
        }
        assertThat(undocumented).as("types and fields without a doc").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelSchemas")
    void shouldKeepEveryTypeInTheProjectNamespace(String name, Schema schema) {
        assertThat(namedTypes(schema)).extracting(Schema::getNamespace).containsOnly("io.netsplit.schemas");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelSchemas")
    void shouldReadDataWrittenByEveryRelease(String name, Schema current) throws IOException {
        for (String release : RELEASES) {
            Schema released = released(release, name);

            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, released);

            assertThat(result.getResult().getIncompatibilities())
                    .as("%s must stay BACKWARD compatible with release %s: new fields need defaults, types may only widen", name, release)
                    .isEmpty();
        }
    }

    private static Schema released(String release, String name) throws IOException {
        String path = "released/" + release + "/" + name + ".avsc";
        try (InputStream in = SchemaDefinitionsTest.class.getResourceAsStream(path)) {
            assertThat(in).as("released schema %s", path).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    private static List<Schema> namedTypes(Schema root) {
        Set<Schema> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Schema> named = new ArrayList<>();
        collect(root, seen, named);
        return named;
    }

    private static void collect(Schema s, Set<Schema> seen, List<Schema> named) {
        if (!seen.add(s)) {
            return;
        }
        switch (s.getType()) {
            case RECORD -> {
                named.add(s);
                s.getFields().forEach(f -> collect(f.schema(), seen, named));
            }
            case ENUM, FIXED -> named.add(s);
            case ARRAY -> collect(s.getElementType(), seen, named);
            case MAP -> collect(s.getValueType(), seen, named);
            case UNION -> s.getTypes().forEach(t -> collect(t, seen, named));
            default -> {
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

}
