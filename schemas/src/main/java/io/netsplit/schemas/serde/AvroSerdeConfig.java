package io.netsplit.schemas.serde;

import io.netsplit.schemas.registry.InMemorySchemaRegistry;
import io.netsplit.schemas.registry.RegistryClientSettings;
import io.netsplit.schemas.registry.RestSchemaRegistryClient;
import io.netsplit.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of {@link AvroSerializer}, {@link AvroDeserializer} and {@link AvroSerde}, read from the
 * producer / consumer / Streams properties the way Kafka passes them to {@code configure}. Unknown keys are
 * ignored, so the whole client configuration can be handed over.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    /** Base URL of the Confluent-API schema registry. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Base URL of a Confluent-API schema registry, e.g. "
            + "http://registry:8081 (Confluent, Karapace) or http://apicurio:8080/apis/ccompat/v7 (Apicurio). "
            + "mock://<scope> selects an in-memory registry shared by that scope, for fast tests only.";

    /** Whether the serializer registers the record's schema. */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers the record's schema "
            + "under the subject (POST /subjects/{subject}/versions). When false it only looks the schema up and "
            + "fails if it is not registered.";
    private static final boolean AUTO_REGISTER_SCHEMAS_DEFAULT = true;

    /** Attempts per registry request. */
    public static final String RETRY_ATTEMPTS_CONFIG = "schema.registry.retry.attempts";
    private static final String RETRY_ATTEMPTS_DOC = "Attempts per registry request on connection failures, "
            + "timeouts and 5xx answers; 4xx answers are never retried.";
    private static final int RETRY_ATTEMPTS_DEFAULT = RegistryClientSettings.DEFAULT_MAX_ATTEMPTS;

    /** Pause after the first failed attempt. */
    public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC = "Pause after the first failed registry attempt, in "
            + "milliseconds; doubled after each further failure up to " + "schema.registry.retry.backoff.max.ms.";
    private static final long RETRY_BACKOFF_MS_DEFAULT = RegistryClientSettings.DEFAULT_INITIAL_BACKOFF.toMillis();

    /** Cap on the pause between attempts. */
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "schema.registry.retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest pause between registry attempts, in milliseconds.";
    private static final long RETRY_BACKOFF_MAX_MS_DEFAULT = RegistryClientSettings.DEFAULT_MAX_BACKOFF.toMillis();

    /** Time allowed for one registry attempt. */
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    private static final String REQUEST_TIMEOUT_MS_DOC = "Time allowed for one registry attempt, connecting "
            + "included, in milliseconds.";
    private static final long REQUEST_TIMEOUT_MS_DEFAULT = RegistryClientSettings.DEFAULT_REQUEST_TIMEOUT.toMillis();

    /** Generated SpecificRecord class a key deserializer reads into. */
    public static final String KEY_TYPE_CONFIG = "avro.key.type";
    private static final String KEY_TYPE_DOC = "Generated Avro class (e.g. io.netsplit.schemas.ChangeEvent) a key "
            + "deserializer reads into; its schema is the reader schema. When unset, the class named by the writer "
            + "schema is used.";

    /** Generated SpecificRecord class a value deserializer reads into. */
    public static final String VALUE_TYPE_CONFIG = "avro.value.type";
    private static final String VALUE_TYPE_DOC = "Generated Avro class (e.g. io.netsplit.schemas.ChangeEvent) a value "
            + "deserializer reads into; its schema is the reader schema. When unset, the class named by the writer "
            + "schema is used.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, AUTO_REGISTER_SCHEMAS_DEFAULT, Importance.MEDIUM,
                    AUTO_REGISTER_SCHEMAS_DOC)
            .define(RETRY_ATTEMPTS_CONFIG, Type.INT, RETRY_ATTEMPTS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    RETRY_ATTEMPTS_DOC)
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, Range.atLeast(0), Importance.LOW,
                    RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MAX_MS_DEFAULT, Range.atLeast(0),
                    Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, REQUEST_TIMEOUT_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    REQUEST_TIMEOUT_MS_DOC)
            .define(KEY_TYPE_CONFIG, Type.CLASS, null, Importance.MEDIUM, KEY_TYPE_DOC)
            .define(VALUE_TYPE_CONFIG, Type.CLASS, null, Importance.MEDIUM, VALUE_TYPE_DOC);

    /** Parses and validates {@code props}; a bad value raises a {@link ConfigException} naming the key. */
    public AvroSerdeConfig(Map<String, ?> props) {
        super(CONFIG, props, false);
    }

    /** The definition of every key, with docs and defaults. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The configured registry URL. */
    public String registryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    /** Whether serializers register schemas. */
    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    /** The record class a key ({@code isKey}) or value deserializer reads into, or null if not configured. */
    public Class<?> recordType(boolean isKey) {
        return getClass(isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG);
    }

    /** The registry client settings these properties describe. */
    public RegistryClientSettings registryClientSettings() {
        try {
            return new RegistryClientSettings(registryUrl(), getInt(RETRY_ATTEMPTS_CONFIG),
                    Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG)),
                    Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS_CONFIG)),
                    Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS_CONFIG)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, registryUrl(), e.getMessage());
        }
    }

    /**
     * A registry client for these properties: the shared {@link InMemorySchemaRegistry} scope for
     * {@code mock://<scope>}, otherwise a new {@link RestSchemaRegistryClient}.
     */
    public SchemaRegistryClient createRegistryClient() {
        String url = registryUrl().strip();
        if (url.startsWith(InMemorySchemaRegistry.MOCK_URL_PREFIX)) {
            return InMemorySchemaRegistry.scope(url.substring(InMemorySchemaRegistry.MOCK_URL_PREFIX.length()));
        }
        return new RestSchemaRegistryClient(registryClientSettings());
    }
}
