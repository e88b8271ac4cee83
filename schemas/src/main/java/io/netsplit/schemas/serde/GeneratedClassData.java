package io.netsplit.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@link SpecificData} that maps the named types of one generated record class's own schema (the record and the
 * records, enums and fixed types it nests) to their generated classes.
 *
 * <p>Avro 1.12 refuses to load classes by a schema's name unless they are on a trusted list
 * ({@code ClassSecurityValidator}), because writer schemas are data. Here the classes come from code the caller
 * chose (the reader class), never from a name in a writer schema, so no global trust setting is needed.
 */
final class GeneratedClassData extends SpecificData {

    private final Map<String, Class<?>> classes = new HashMap<>();

    private GeneratedClassData(Class<? extends SpecificRecord> root) {
        super(root.getClassLoader());
        collect(schemaOf(root), root.getClassLoader());
    }

    /** Data for {@code root}'s schema graph. */
    static GeneratedClassData forClass(Class<? extends SpecificRecord> root) {
        return new GeneratedClassData(root);
    }

    /** The schema generated code declares in its {@code SCHEMA$} field. */
    static Schema schemaOf(Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro class (no public static SCHEMA$)", e);
        }
    }

    private void collect(Schema schema, ClassLoader loader) {
        switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> {
                if (classes.containsKey(schema.getFullName())) {
                    return;
                }
                try {
                    classes.put(schema.getFullName(), Class.forName(SpecificData.getClassName(schema), false, loader));
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException("no generated class for Avro type " + schema.getFullName(), e);
                }
                if (schema.getType() == Schema.Type.RECORD) {
                    schema.getFields().forEach(f -> collect(f.schema(), loader));
                }
            }
            case ARRAY -> collect(schema.getElementType(), loader);
            case MAP -> collect(schema.getValueType(), loader);
            case UNION -> schema.getTypes().forEach(t -> collect(t, loader));
            default -> {
                // primitives need no class lookup
            }
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getClass(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> classes.get(schema.getFullName());
            default -> super.getClass(schema);
        };
    }
}
