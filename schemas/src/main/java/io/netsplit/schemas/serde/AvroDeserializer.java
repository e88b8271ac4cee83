package io.netsplit.schemas.serde;

import io.netsplit.schemas.registry.SchemaRegistryClient;
import io.netsplit.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} reading Confluent-wire-format Avro records into generated classes.
 *
 * <p>The writer schema is fetched from the registry by the id in the record (and cached); the reader schema is the
 * generated class's, so a consumer built with a newer schema reads records written with an older one (Avro schema
 * resolution: fields the writer lacked get their defaults, fields the reader lacks are skipped). The reader class
 * is the one given to the constructor, else {@code avro.key.type}/{@code avro.value.type}, else the class the
 * writer schema names.
 *
 * <p>Every failure is an {@link AvroSerdeException} (a Kafka {@code SerializationException}) with a one-line
 * message: {@link MalformedPayloadException} (too short, unknown magic byte, truncated or corrupt body),
 * {@link UnknownSchemaIdException}, {@link SchemaRegistryUnavailableException}, {@link IncompatibleSchemaException}.
 *
 * @param <T> the generated record type
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private Class<? extends T> type;

    /** For Kafka: instantiated from a class name, then {@link #configure(Map, boolean)}d. */
    public AvroDeserializer() {
    }

    /**
     * A ready deserializer reading into {@code type}, using {@code registry}, which stays the caller's to close.
     *
     * @param type the generated class to read into, or null to use the class the writer schema names
     */
    public AvroDeserializer(Class<? extends T> type, SchemaRegistryClient registry) {
        this.type = type;
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Reads {@link AvroSerdeConfig} keys. On a deserializer built with a registry client this does nothing.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            AvroSerdeConfig config = new AvroSerdeConfig(configs);
            configure(config, isKey, config.createRegistryClient(), true);
        }
    }

    /** Wires a deserializer that {@link AvroSerde} configured; the client is closed by it iff {@code owns}. */
    @SuppressWarnings("unchecked")
    void configure(AvroSerdeConfig config, boolean isKey, SchemaRegistryClient client, boolean owns) {
        this.registry = client;
        this.ownsRegistry = owns;
        Class<?> configured = config.recordType(isKey);
        if (type == null && configured != null) {
            if (!SpecificRecord.class.isAssignableFrom(configured)) {
                throw new org.apache.kafka.common.config.ConfigException(
                        isKey ? AvroSerdeConfig.KEY_TYPE_CONFIG : AvroSerdeConfig.VALUE_TYPE_CONFIG,
                        configured.getName(), "not a generated Avro SpecificRecord class");
            }
            this.type = (Class<? extends T>) configured;
        }
    }

    /** Reads into {@code readerType} from now on (the serde's type wins over configuration). */
    void readInto(Class<? extends T> readerType) {
        this.type = readerType;
        readers.clear();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: call configure() or build it with a registry client");
        }
        WireFormat.checkHeader(data);
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        SpecificDatumReader<T> reader = reader(topic, id);
        int bodyLength = data.length - WireFormat.HEADER_SIZE;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, bodyLength, null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new MalformedPayloadException("truncated payload: the " + bodyLength + "-byte Avro body of a record "
                    + "from topic '" + topic + "' (schema id " + id + ", " + reader.getSchema().getFullName()
                    + ") ends before the record is complete", e);
        } catch (Exception e) {
            throw new MalformedPayloadException("corrupt Avro body in a record from topic '" + topic + "' with schema id "
                    + id + " (" + reader.getSchema().getFullName() + "): " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new MalformedPayloadException("corrupt payload: bytes left over after the Avro body of a record "
                        + "from topic '" + topic + "' with schema id " + id, null);
            }
        } catch (java.io.IOException e) {
            throw new MalformedPayloadException("corrupt Avro body in a record from topic '" + topic + "': " + e, e);
        }
        return record;
    }

    private SpecificDatumReader<T> reader(String topic, int id) {
        SpecificDatumReader<T> cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.getSchemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new UnknownSchemaIdException(id, "unknown schema id " + id + " in a record from topic '" + topic
                        + "': " + e.getMessage(), e);
            }
            throw RegistryFailures.translate(e, "fetching schema id " + id + " for a record from topic '" + topic + "'");
        }
        Class<? extends SpecificRecord> readerType = readerType(topic, id, writer);
        Schema readerSchema = GeneratedClassData.schemaOf(readerType);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String problems = compatibility.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                    .collect(Collectors.joining("; "));
            throw new IncompatibleSchemaException("cannot read a record from topic '" + topic + "' written with schema id "
                    + id + " (" + writer.getFullName() + ") as " + readerSchema.getFullName() + ": " + problems, null);
        }
        SpecificDatumReader<T> reader =
                new SpecificDatumReader<>(writer, readerSchema, GeneratedClassData.forClass(readerType));
        SpecificDatumReader<T> previous = readers.putIfAbsent(id, reader);
        return previous != null ? previous : reader;
    }

    private Class<? extends SpecificRecord> readerType(String topic, int id, Schema writer) {
        if (type != null) {
            return type;
        }
        // the writer schema is data: load its class without initializing it, and only if it is a generated record
        Class<?> named;
        try {
            named = Class.forName(SpecificData.getClassName(writer), false, AvroDeserializer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            named = null;
        }
        if (named == null || !SpecificRecord.class.isAssignableFrom(named)) {
            throw new AvroSerdeException("no generated Avro class " + writer.getFullName() + " on the classpath for "
                    + "schema id " + id + " in a record from topic '" + topic + "'; set " + AvroSerdeConfig.VALUE_TYPE_CONFIG
                    + " (or " + AvroSerdeConfig.KEY_TYPE_CONFIG + ") to the class to read into", null);
        }
        return named.asSubclass(SpecificRecord.class);
    }

    @Override
    public void close() {
        readers.clear();
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }
}
