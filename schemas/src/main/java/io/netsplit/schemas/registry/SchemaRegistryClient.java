package io.netsplit.schemas.registry;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that netsplit uses: register a schema under a subject,
 * look an id up by schema, fetch a schema by id, test compatibility and read or set the compatibility level.
 *
 * <p>Implementations cache ids and schemas both ways, so once a schema is known a registry that cannot be reached
 * does not stop records from being written or read. Every method throws {@link SchemaRegistryException} when the
 * registry answers with an error (its {@code error_code} and {@code message} are kept verbatim) and
 * {@link SchemaRegistryUnreachableException} when it could not be reached within the configured attempts.
 *
 * <p>{@link RestSchemaRegistryClient} talks HTTP to Confluent Schema Registry, Karapace or Apicurio's
 * {@code /apis/ccompat/v7}; {@link InMemorySchemaRegistry} is a registry in the JVM for fast tests.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}), or returns the id
     * it already has there. The registry checks the subject's compatibility level first.
     *
     * @return the registry's global id of the schema
     */
    int register(String subject, Schema schema);

    /**
     * Looks up the id of {@code schema} as already registered under {@code subject} ({@code POST /subjects/{subject}}),
     * without registering it.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} when the subject or the
     *                                 schema under it is unknown
     */
    int lookupId(String subject, Schema schema);

    /**
     * Fetches the schema with the given global id ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} when the id is unknown
     */
    Schema getSchemaById(int id);

    /**
     * Tests whether {@code schema} could be registered under {@code subject}, against its latest version
     * ({@code POST /compatibility/subjects/{subject}/versions/latest}). A subject with no versions accepts anything.
     */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /** The registry-wide compatibility level ({@code GET /config}), e.g. {@code BACKWARD}. */
    String getGlobalCompatibility();

    /** Sets the registry-wide compatibility level ({@code PUT /config}); returns the level the registry reports. */
    String setGlobalCompatibility(String level);

    /**
     * The compatibility level set on {@code subject} itself ({@code GET /config/{subject}}); empty when the subject
     * has none and the global level applies.
     */
    Optional<String> getSubjectCompatibility(String subject);

    /** Sets the compatibility level of one subject ({@code PUT /config/{subject}}); returns the level reported. */
    String setSubjectCompatibility(String subject, String level);

    /** Releases HTTP resources; caches are dropped. Never throws. */
    @Override
    void close();
}
