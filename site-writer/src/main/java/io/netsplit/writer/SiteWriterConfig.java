package io.netsplit.writer;

import io.netsplit.schemas.Limits;
import io.netsplit.kit.CommonKeys;
import io.netsplit.kit.TopicName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The one configuration of a site-writer: every key with its doc and default, typed getters, and validation at
 * start-up that names the bad key ({@link ConfigException}). The common keys ({@code site}, {@code bootstrap.servers},
 * {@code schema.registry.url}, {@code http.*}, {@code topic.*}) are those of {@link CommonKeys}; the writer's own keys
 * are prefixed {@code writer.}; {@code kafka.*} keys are handed to the Kafka producer and consumers without the
 * prefix. The old names ({@code writer.site}, {@code writer.kafka.*}, {@code writer.health.topic}, ...) are accepted
 * as deprecated aliases.
 */
public final class SiteWriterConfig extends AbstractConfig {

    /** Prefix of pass-through Kafka client properties ({@link CommonKeys#KAFKA_PREFIX}). */
    public static final String KAFKA_PREFIX = CommonKeys.KAFKA_PREFIX;

    public static final String SITE = CommonKeys.SITE;
    public static final String BOOTSTRAP_SERVERS = CommonKeys.BOOTSTRAP_SERVERS;
    public static final String SCHEMA_REGISTRY_URL = CommonKeys.SCHEMA_REGISTRY_URL;
    public static final String HTTP_HOST = CommonKeys.HTTP_HOST;
    public static final String HTTP_PORT = CommonKeys.HTTP_PORT;
    private static final int HTTP_PORT_DEFAULT = 8088;
    public static final String CHANGES_TOPIC = TopicName.CHANGES.key();
    public static final String CONVERGED_TOPIC = TopicName.CONVERGED.key();
    public static final String HEALTH_TOPIC = TopicName.HEALTH_STATUS.key();

    /** The names this service used before the common keys, each mapped to its new name (accepted, with a warning). */
    static final Map<String, String> DEPRECATED = deprecated();

    public static final String TRANSACTIONAL_ID = "writer.transactional.id";
    private static final String TRANSACTIONAL_ID_DOC = "Kafka transactional.id of the writer's producer. Empty means "
            + "netsplit-writer-<site>. Every writer process of a site must use the same id: a new process fences the "
            + "older one, which stops minting.";
    private static final String TRANSACTIONAL_ID_DEFAULT = "";

    public static final String KAFKA_TIMEOUT_MS = "writer.broker.timeout.ms";
    private static final String KAFKA_TIMEOUT_MS_DOC = "Longest time a Kafka operation (send, commit, metadata) may "
            + "take before the write fails with 503; producer delivery.timeout.ms and max.block.ms derive from it.";
    private static final long KAFKA_TIMEOUT_MS_DEFAULT = 5_000;

    public static final String REQUEST_TIMEOUT_MS = "writer.request.timeout.ms";
    private static final String REQUEST_TIMEOUT_MS_DOC = "Longest time an HTTP write waits for its Kafka "
            + "acknowledgement before it is answered 503.";
    private static final long REQUEST_TIMEOUT_MS_DEFAULT = 15_000;

    public static final String RETRY_AFTER_SECONDS = "writer.retry.after.seconds";
    private static final String RETRY_AFTER_SECONDS_DOC = "Retry-After value of 503 answers, in seconds.";
    private static final int RETRY_AFTER_SECONDS_DEFAULT = 2;

    public static final String STARTUP_TIMEOUT_MS = "writer.startup.timeout.ms";
    private static final String STARTUP_TIMEOUT_MS_DOC = "How long start-up may wait for Kafka and the registry "
            + "(fencing older instances, recovering from the changes topic, loading the converged view).";
    private static final long STARTUP_TIMEOUT_MS_DEFAULT = 120_000;

    public static final String BATCH_MAX_RECORDS = "writer.batch.max.records";
    private static final String BATCH_MAX_RECORDS_DOC = "Most writes committed in one Kafka transaction; requests "
            + "that arrive while a transaction commits are grouped into the next one.";
    private static final int BATCH_MAX_RECORDS_DEFAULT = 500;

    public static final String QUEUE_MAX_REQUESTS = "writer.queue.max.requests";
    private static final String QUEUE_MAX_REQUESTS_DOC = "Most writes waiting to be minted; beyond it writes are "
            + "answered 503 at once.";
    private static final int QUEUE_MAX_REQUESTS_DEFAULT = 10_000;

    public static final String IDEMPOTENCY_WINDOW_MS = "writer.idempotency.window.ms";
    private static final String IDEMPOTENCY_WINDOW_MS_DOC = "How long an Idempotency-Key is remembered after its "
            + "write (by the write's wall clock). Keys are recovered from the changes topic at start, so the window "
            + "survives restarts as long as the topic's retention is longer.";
    private static final long IDEMPOTENCY_WINDOW_MS_DEFAULT = Duration.ofHours(24).toMillis();

    public static final String IDEMPOTENCY_MAX_KEYS = "writer.idempotency.max.keys";
    private static final String IDEMPOTENCY_MAX_KEYS_DOC = "Most Idempotency-Keys remembered; the oldest are "
            + "forgotten first.";
    private static final int IDEMPOTENCY_MAX_KEYS_DEFAULT = 1_000_000;

    public static final String IDEMPOTENCY_KEY_MAX_LENGTH = "writer.idempotency.key.max.length";
    private static final String IDEMPOTENCY_KEY_MAX_LENGTH_DOC = "Longest accepted Idempotency-Key, in characters.";
    private static final int IDEMPOTENCY_KEY_MAX_LENGTH_DEFAULT = 128;

    public static final String MAX_KEY_BYTES = "writer.max.key.bytes";
    private static final String MAX_KEY_BYTES_DOC = "Longest entity key, in UTF-8 bytes; longer keys get 400. At most "
            + Limits.KEY_BYTES + ", the least a reconciler accepts (reconcile.max.key.bytes).";
    private static final int MAX_KEY_BYTES_DEFAULT = 256;

    public static final String MAX_FIELDS = "writer.max.fields";
    private static final String MAX_FIELDS_DOC = "Most fields in one request body; more get 413.";
    private static final int MAX_FIELDS_DEFAULT = 128;

    public static final String MAX_FIELD_NAME_BYTES = "writer.max.field.name.bytes";
    private static final String MAX_FIELD_NAME_BYTES_DOC = "Longest field name, in UTF-8 bytes; longer get 400.";
    private static final int MAX_FIELD_NAME_BYTES_DEFAULT = 128;

    public static final String MAX_EVENT_BYTES = "writer.max.event.bytes";
    private static final String MAX_EVENT_BYTES_DOC = "Largest encoded change event (the full state after the write, "
            + "wire format); a write whose event would be larger gets 413 event_too_large and nothing is written. At most "
            + Limits.EVENT_BYTES + ", the least a reconciler accepts (reconcile.max.event.bytes).";
    private static final int MAX_EVENT_BYTES_DEFAULT = Limits.EVENT_BYTES;

    public static final String MAX_VALUE_BYTES = "writer.max.value.bytes";
    private static final String MAX_VALUE_BYTES_DOC = "Largest string field value, in UTF-8 bytes; larger get 413.";
    private static final int MAX_VALUE_BYTES_DEFAULT = 4_096;

    public static final String MAX_BODY_BYTES = "writer.max.body.bytes";
    private static final String MAX_BODY_BYTES_DOC = "Largest request body, in bytes; larger get 413 without being read.";
    private static final int MAX_BODY_BYTES_DEFAULT = 256 * 1024;

    public static final String HTTP_MAX_INFLIGHT_BYTES = "writer.http.max.inflight.bytes";
    private static final String HTTP_MAX_INFLIGHT_BYTES_DOC = "Most bytes of request bodies the writer reads and holds "
            + "at once, over all requests (a body counts from before it is read until its request is handled). A request "
            + "whose body would go past it is answered 503 overloaded (Retry-After: 1) without being read. With the "
            + "lab's 256 MiB heap, 32 MiB leaves room for the parsed bodies (a few times their size) and the rest.";
    private static final long HTTP_MAX_INFLIGHT_BYTES_DEFAULT = 32L * 1024 * 1024;

    public static final String HTTP_READ_TIMEOUT_MS = "writer.http.read.timeout.ms";
    private static final String HTTP_READ_TIMEOUT_MS_DOC = "Time a client has to send a whole request, headers and "
            + "body, counted from its first byte; a slower client's connection is closed without an answer. The JDK's "
            + "HTTP server counts it in whole seconds (rounded up) and checks it about once a second; it applies to the "
            + "site-writer process (JVM-wide: sun.net.httpserver.maxReqTime, unless that is set with -D).";
    private static final long HTTP_READ_TIMEOUT_MS_DEFAULT = 10_000;

    public static final String HTTP_MAX_CONNECTIONS = "writer.http.max.connections";
    private static final String HTTP_MAX_CONNECTIONS_DOC = "Most open client connections; a connection past it is "
            + "closed as soon as it is accepted. Also the depth of the accept backlog (capped by the kernel's somaxconn), "
            + "so a burst of connects up to it waits to be accepted instead of being reset. Applies to the site-writer process (JVM-wide: "
            + "jdk.httpserver.maxConnections, unless that is set with -D).";
    private static final int HTTP_MAX_CONNECTIONS_DEFAULT = 4_096;

    public static final String AUTH_TOKEN = "writer.auth.token";
    private static final String AUTH_TOKEN_DOC = "Bearer token required on /entities requests "
            + "(Authorization: Bearer <token>); unset means no authentication. /health and /metrics stay open.";

    public static final String HEALTH_REJECT_WHEN_DIVERGED = "writer.health.reject.when.diverged";
    private static final String HEALTH_REJECT_WHEN_DIVERGED_DOC = "When true, PUT/PATCH/DELETE are answered 503 "
            + "(Retry-After: writer.retry.after.seconds) while the newest event of any health checker on "
            + "topic.health.status says 'diverged' for this site (or for all sites). Fail-open: no event, an unreadable "
            + "event or a missing topic means writes are accepted. GET is never refused.";
    private static final boolean HEALTH_REJECT_WHEN_DIVERGED_DEFAULT = false;

    public static final String DURABILITY_CHECK = "writer.durability.check";
    private static final String DURABILITY_CHECK_DOC = "At start-up the writer describes the changes topic it "
            + "acknowledges on: fewer than 3 replicas or min.insync.replicas below 2 means an acknowledged write does not "
            + "survive the loss of one broker. 'fail' (the default) refuses to start with one line naming the topic and "
            + "the setting; 'warn' logs that line once and starts (the lab's mode: one broker per site).";
    private static final String DURABILITY_CHECK_DEFAULT = "fail";

    private static final ConfigDef CONFIG = CommonKeys.define(new ConfigDef()).site().bootstrapServers()
            .schemaRegistryUrl().http(HTTP_PORT_DEFAULT).topic(TopicName.CHANGES).topic(TopicName.CONVERGED)
            .topic(TopicName.HEALTH_STATUS).configDef()
            .define(TRANSACTIONAL_ID, Type.STRING, TRANSACTIONAL_ID_DEFAULT, Importance.LOW, TRANSACTIONAL_ID_DOC)
            .define(KAFKA_TIMEOUT_MS, Type.LONG, KAFKA_TIMEOUT_MS_DEFAULT, Range.between(500, 300_000),
                    Importance.MEDIUM, KAFKA_TIMEOUT_MS_DOC)
            .define(REQUEST_TIMEOUT_MS, Type.LONG, REQUEST_TIMEOUT_MS_DEFAULT, Range.between(100, 600_000),
                    Importance.MEDIUM, REQUEST_TIMEOUT_MS_DOC)
            .define(RETRY_AFTER_SECONDS, Type.INT, RETRY_AFTER_SECONDS_DEFAULT, Range.between(1, 3600),
                    Importance.LOW, RETRY_AFTER_SECONDS_DOC)
            .define(STARTUP_TIMEOUT_MS, Type.LONG, STARTUP_TIMEOUT_MS_DEFAULT, Range.atLeast(1_000), Importance.LOW,
                    STARTUP_TIMEOUT_MS_DOC)
            .define(BATCH_MAX_RECORDS, Type.INT, BATCH_MAX_RECORDS_DEFAULT, Range.between(1, 100_000),
                    Importance.LOW, BATCH_MAX_RECORDS_DOC)
            .define(QUEUE_MAX_REQUESTS, Type.INT, QUEUE_MAX_REQUESTS_DEFAULT, Range.between(1, 10_000_000),
                    Importance.LOW, QUEUE_MAX_REQUESTS_DOC)
            .define(IDEMPOTENCY_WINDOW_MS, Type.LONG, IDEMPOTENCY_WINDOW_MS_DEFAULT, Range.atLeast(1_000),
                    Importance.MEDIUM, IDEMPOTENCY_WINDOW_MS_DOC)
            .define(IDEMPOTENCY_MAX_KEYS, Type.INT, IDEMPOTENCY_MAX_KEYS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    IDEMPOTENCY_MAX_KEYS_DOC)
            .define(IDEMPOTENCY_KEY_MAX_LENGTH, Type.INT, IDEMPOTENCY_KEY_MAX_LENGTH_DEFAULT, Range.between(1, 4096),
                    Importance.LOW, IDEMPOTENCY_KEY_MAX_LENGTH_DOC)
            .define(MAX_KEY_BYTES, Type.INT, MAX_KEY_BYTES_DEFAULT, Range.between(1, Limits.KEY_BYTES), Importance.MEDIUM,
                    MAX_KEY_BYTES_DOC)
            .define(MAX_EVENT_BYTES, Type.INT, MAX_EVENT_BYTES_DEFAULT, Range.between(1024, Limits.EVENT_BYTES),
                    Importance.MEDIUM, MAX_EVENT_BYTES_DOC)
            .define(MAX_FIELDS, Type.INT, MAX_FIELDS_DEFAULT, Range.between(1, 100_000), Importance.MEDIUM,
                    MAX_FIELDS_DOC)
            .define(MAX_FIELD_NAME_BYTES, Type.INT, MAX_FIELD_NAME_BYTES_DEFAULT, Range.between(1, 65_536),
                    Importance.LOW, MAX_FIELD_NAME_BYTES_DOC)
            .define(MAX_VALUE_BYTES, Type.INT, MAX_VALUE_BYTES_DEFAULT, Range.between(1, 1_000_000),
                    Importance.MEDIUM, MAX_VALUE_BYTES_DOC)
            .define(MAX_BODY_BYTES, Type.INT, MAX_BODY_BYTES_DEFAULT, Range.between(64, 16 * 1024 * 1024),
                    Importance.MEDIUM, MAX_BODY_BYTES_DOC)
            .define(HTTP_MAX_INFLIGHT_BYTES, Type.LONG, HTTP_MAX_INFLIGHT_BYTES_DEFAULT,
                    Range.between(64 * 1024, 1L << 30), Importance.MEDIUM, HTTP_MAX_INFLIGHT_BYTES_DOC)
            .define(HTTP_READ_TIMEOUT_MS, Type.LONG, HTTP_READ_TIMEOUT_MS_DEFAULT, Range.between(1_000, 600_000),
                    Importance.MEDIUM, HTTP_READ_TIMEOUT_MS_DOC)
            .define(HTTP_MAX_CONNECTIONS, Type.INT, HTTP_MAX_CONNECTIONS_DEFAULT, Range.between(1, 1_000_000),
                    Importance.MEDIUM, HTTP_MAX_CONNECTIONS_DOC)
            .define(AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM, AUTH_TOKEN_DOC)
            .define(HEALTH_REJECT_WHEN_DIVERGED, Type.BOOLEAN, HEALTH_REJECT_WHEN_DIVERGED_DEFAULT, Importance.MEDIUM,
                    HEALTH_REJECT_WHEN_DIVERGED_DOC)
            .define(DURABILITY_CHECK, Type.STRING, DURABILITY_CHECK_DEFAULT, ConfigDef.ValidString.in("fail", "warn"),
                    Importance.HIGH, DURABILITY_CHECK_DOC);

    /** Parses and validates {@code props}; a missing or bad value raises a {@link ConfigException} naming the key. */
    public SiteWriterConfig(Map<String, ?> props) {
        super(CONFIG, CommonKeys.renameDeprecated(props, DEPRECATED), false);
        if (getLong(REQUEST_TIMEOUT_MS) < getLong(KAFKA_TIMEOUT_MS)) {
            throw new ConfigException(REQUEST_TIMEOUT_MS, getLong(REQUEST_TIMEOUT_MS),
                    "must be at least " + KAFKA_TIMEOUT_MS + " (" + getLong(KAFKA_TIMEOUT_MS) + ")");
        }
        Password token = getPassword(AUTH_TOKEN);
        if (token != null && token.value().isBlank()) {
            throw new ConfigException(AUTH_TOKEN, "(hidden)", "must not be blank; leave it unset to disable auth");
        }
    }

    /** Every key with its doc and default (for the README and {@code --help}). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public String site() {
        return getString(SITE);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String changesTopic() {
        return getString(CHANGES_TOPIC);
    }

    public String convergedTopic() {
        return getString(CONVERGED_TOPIC);
    }

    /** The producer's transactional.id: configured, else {@code netsplit-writer-<site>}. */
    public String transactionalId() {
        String id = getString(TRANSACTIONAL_ID);
        return id == null || id.isBlank() ? "netsplit-writer-" + site() : id;
    }

    public Duration kafkaTimeout() {
        return Duration.ofMillis(getLong(KAFKA_TIMEOUT_MS));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
    }

    public int retryAfterSeconds() {
        return getInt(RETRY_AFTER_SECONDS);
    }

    public Duration startupTimeout() {
        return Duration.ofMillis(getLong(STARTUP_TIMEOUT_MS));
    }

    public int batchMaxRecords() {
        return getInt(BATCH_MAX_RECORDS);
    }

    public int queueMaxRequests() {
        return getInt(QUEUE_MAX_REQUESTS);
    }

    public Duration idempotencyWindow() {
        return Duration.ofMillis(getLong(IDEMPOTENCY_WINDOW_MS));
    }

    public int idempotencyMaxKeys() {
        return getInt(IDEMPOTENCY_MAX_KEYS);
    }

    public int idempotencyKeyMaxLength() {
        return getInt(IDEMPOTENCY_KEY_MAX_LENGTH);
    }

    public int maxKeyBytes() {
        return getInt(MAX_KEY_BYTES);
    }

    public int maxEventBytes() {
        return getInt(MAX_EVENT_BYTES);
    }

    public int maxFields() {
        return getInt(MAX_FIELDS);
    }

    public int maxFieldNameBytes() {
        return getInt(MAX_FIELD_NAME_BYTES);
    }

    public int maxValueBytes() {
        return getInt(MAX_VALUE_BYTES);
    }

    public long httpMaxInFlightBytes() {
        return getLong(HTTP_MAX_INFLIGHT_BYTES);
    }

    public java.time.Duration httpReadTimeout() {
        return java.time.Duration.ofMillis(getLong(HTTP_READ_TIMEOUT_MS));
    }

    public int httpMaxConnections() {
        return getInt(HTTP_MAX_CONNECTIONS);
    }

    public int maxBodyBytes() {
        return getInt(MAX_BODY_BYTES);
    }

    /** The bearer token, or null when authentication is off. */
    public String authToken() {
        Password token = getPassword(AUTH_TOKEN);
        return token == null ? null : token.value();
    }

    /** Whether writes are refused while a health checker reports this site diverged. */
    public boolean rejectWritesWhenDiverged() {
        return getBoolean(HEALTH_REJECT_WHEN_DIVERGED);
    }

    /** Whether a changes topic that cannot keep an acknowledged write through a broker loss only warns (else refuses). */
    public boolean durabilityWarnOnly() {
        return "warn".equals(getString(DURABILITY_CHECK));
    }

    public String healthTopic() {
        return getString(HEALTH_TOPIC);
    }

    /** {@code kafka.*} keys with the prefix removed, for the Kafka clients. */
    public Map<String, Object> kafkaOverrides() {
        return CommonKeys.kafkaOverrides(this);
    }

    private static Map<String, String> deprecated() {
        Map<String, String> aliases = new LinkedHashMap<>(CommonKeys.prefixedAliases("writer."));
        aliases.put("writer.topic.changes", CHANGES_TOPIC);
        aliases.put("writer.topic.converged", CONVERGED_TOPIC);
        aliases.put("writer.health.topic", HEALTH_TOPIC);
        return Map.copyOf(aliases);
    }
}
