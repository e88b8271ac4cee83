package io.netsplit.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry inside the JVM, for fast tests (e.g. {@code TopologyTestDriver}) that have no real registry.
 * It follows the Confluent semantics netsplit relies on: one global id per distinct schema, versions per subject,
 * compatibility checked on register (default {@code BACKWARD}), the same error codes and HTTP-like statuses in
 * its exceptions. Never use it in place of a real registry in integration tests.
 *
 * <p>A serde configured with {@code schema.registry.url=mock://<scope>} uses the instance {@link #scope(String)}
 * returns for that scope, so serializers and deserializers built from config share one registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    /** URL scheme that selects an in-memory registry in serde configuration. */
    public static final String MOCK_URL_PREFIX = "mock://";

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<String, String> subjectLevels = new HashMap<>();
    private String globalLevel = "BACKWARD";
    private int nextId = 1;

    /** A fresh, empty registry that belongs to no scope. */
    public InMemorySchemaRegistry() {
    }

    /** The shared registry of {@code scope}, created empty on first use. */
    public static InMemorySchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets the registry of {@code scope}; the next {@link #scope(String)} call creates an empty one. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (versions.contains(schema)) {
            return idsBySchema.get(schema);
        }
        List<String> problems = incompatibilities(subject, schema);
        if (!problems.isEmpty()) {
            if (versions.isEmpty()) {
                versionsBySubject.remove(subject);
            }
            String message = "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                    + "\", details: " + problems;
            throw new SchemaRegistryException("in-memory schema registry rejected POST /subjects/" + subject
                    + "/versions: HTTP 409 (error_code 409): " + message, 409, 409, message, null);
        }
        versions.add(schema);
        return idsBySchema.computeIfAbsent(schema, s -> {
            int id = nextId++;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int lookupId(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw notFound("POST /subjects/" + subject, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        if (!versions.contains(schema)) {
            throw notFound("POST /subjects/" + subject, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
        }
        return idsBySchema.get(schema);
    }

    @Override
    public synchronized Schema getSchemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw notFound("GET /schemas/ids/" + id, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
        List<String> problems = incompatibilities(subject, schema);
        return new CompatibilityResult(problems.isEmpty(), problems);
    }

    @Override
    public synchronized String getGlobalCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized String setGlobalCompatibility(String level) {
        globalLevel = validLevel(level);
        return globalLevel;
    }

    @Override
    public synchronized Optional<String> getSubjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    @Override
    public synchronized String setSubjectCompatibility(String subject, String level) {
        subjectLevels.put(subject, validLevel(level));
        return subjectLevels.get(subject);
    }

    @Override
    public void close() {
        // shared scopes outlive any one serde
    }

    private List<String> incompatibilities(String subject, Schema candidate) {
        List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return List.of();
        }
        String level = subjectLevels.getOrDefault(subject, globalLevel);
        boolean transitive = level.endsWith("_TRANSITIVE");
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<Schema> against = transitive ? versions : List.of(versions.get(versions.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Schema earlier : against) {
            if (backward) {
                problems.addAll(problems(candidate, earlier, "reading data written with an earlier schema"));
            }
            if (forward) {
                problems.addAll(problems(earlier, candidate, "an earlier schema reading data written with this one"));
            }
        }
        return problems;
    }

    private static List<String> problems(Schema reader, Schema writer, String direction) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        List<String> problems = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
        }
        return problems;
    }

    private static String validLevel(String level) {
        String upper = level.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE" -> upper;
            default -> throw new SchemaRegistryException("in-memory schema registry rejected compatibility level '"
                    + level + "': HTTP 422 (error_code 42203): Invalid compatibility level", 422, 42203,
                    "Invalid compatibility level", null);
        };
    }

    private static SchemaRegistryException notFound(String request, int code, String message) {
        return new SchemaRegistryException("in-memory schema registry rejected " + request + ": HTTP 404 (error_code "
                + code + "): " + message, 404, code, message, null);
    }
}
