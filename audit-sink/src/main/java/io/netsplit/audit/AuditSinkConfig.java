package io.netsplit.audit;

import io.netsplit.kit.CommonKeys;
import io.netsplit.kit.TopicName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.Map;

/**
 * Configuration of one audit sink. Every key is defined once here with its doc and default (the common ones in
 * {@link CommonKeys}); a bad value fails at start-up with a message naming the key. {@code kafka.*} keys are passed to
 * the Kafka consumer without the prefix. The old names ({@code audit.site}, {@code audit.topic},
 * {@code audit.http.*}, {@code consumer.*}) are accepted as deprecated aliases.
 */
public final class AuditSinkConfig extends AbstractConfig {

    public static final String SITE = CommonKeys.SITE;
    public static final String BOOTSTRAP_SERVERS = CommonKeys.BOOTSTRAP_SERVERS;
    public static final String SCHEMA_REGISTRY_URL = CommonKeys.SCHEMA_REGISTRY_URL;
    public static final String TOPIC = TopicName.AUDIT.key();
    public static final String TOPIC_DEFAULT = TopicName.AUDIT.defaultName();
    public static final String HTTP_HOST = CommonKeys.HTTP_HOST;
    public static final String HTTP_HOST_DEFAULT = CommonKeys.HTTP_HOST_DEFAULT;
    public static final String HTTP_PORT = CommonKeys.HTTP_PORT;
    public static final int HTTP_PORT_DEFAULT = 8086;

    public static final String GROUP_ID = "audit.group.id";
    private static final String GROUP_ID_DOC = "Consumer group of the sink; default netsplit-audit-<site>.";

    public static final String STORE_URL = "audit.store.url";
    private static final String STORE_URL_DOC = "JDBC URL of the audit store: jdbc:sqlite:FILE (default, created if "
            + "missing) or jdbc:postgresql://HOST:PORT/DB.";
    public static final String STORE_URL_DEFAULT = "jdbc:sqlite:audit.db";

    public static final String STORE_USER = "audit.store.user";
    private static final String STORE_USER_DOC = "Database user (PostgreSQL); empty for none.";

    public static final String STORE_PASSWORD = "audit.store.password";
    private static final String STORE_PASSWORD_DOC = "Database password (PostgreSQL); empty for none.";

    public static final String MAX_POLL_RECORDS = "audit.batch.max.records";
    private static final String MAX_POLL_RECORDS_DOC = "Most audit records stored in one transaction.";
    public static final int MAX_POLL_RECORDS_DEFAULT = 500;

    public static final String POLL_TIMEOUT_MS = "audit.poll.timeout.ms";
    private static final String POLL_TIMEOUT_MS_DOC = "Longest wait for new audit records in one poll.";
    public static final long POLL_TIMEOUT_MS_DEFAULT = 500;

    public static final String RETRY_BACKOFF_MS = "audit.retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC = "Pause before retrying a batch the store could not take "
            + "(the batch's offsets are not committed, so it is read again).";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 1000;

    public static final String DELETE_ENABLED = "audit.http.delete.enabled";
    private static final String DELETE_ENABLED_DOC = "Whether DELETE /audit/decisions may delete stored records "
            + "(the drills' lose-audit step). Off by default: an audit store is not to be edited.";
    public static final boolean DELETE_ENABLED_DEFAULT = false;

    /** The names this service used before the common keys, each mapped to its new name (accepted, with a warning). */
    static final Map<String, String> DEPRECATED = Map.of("audit.site", SITE, "audit.topic", TOPIC,
            "audit.http.host", HTTP_HOST, "audit.http.port", HTTP_PORT, "consumer.", CommonKeys.KAFKA_PREFIX);

    private static final ConfigDef CONFIG = CommonKeys.define(new ConfigDef()).site().bootstrapServers()
            .schemaRegistryUrl().topic(TopicName.AUDIT).http(HTTP_PORT_DEFAULT).configDef()
            .define(GROUP_ID, Type.STRING, "", Importance.MEDIUM, GROUP_ID_DOC)
            .define(STORE_URL, Type.STRING, STORE_URL_DEFAULT, (name, value) -> {
                String v = value == null ? "" : value.toString();
                if (!v.startsWith("jdbc:sqlite:") && !v.startsWith("jdbc:postgresql:")) {
                    throw new ConfigException(name, value, "use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
                }
            }, Importance.HIGH, STORE_URL_DOC)
            .define(STORE_USER, Type.STRING, "", Importance.MEDIUM, STORE_USER_DOC)
            .define(STORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, STORE_PASSWORD_DOC)
            .define(MAX_POLL_RECORDS, Type.INT, MAX_POLL_RECORDS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    MAX_POLL_RECORDS_DOC)
            .define(POLL_TIMEOUT_MS, Type.LONG, POLL_TIMEOUT_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    POLL_TIMEOUT_MS_DOC)
            .define(RETRY_BACKOFF_MS, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, Range.atLeast(0), Importance.LOW,
                    RETRY_BACKOFF_MS_DOC)
            .define(DELETE_ENABLED, Type.BOOLEAN, DELETE_ENABLED_DEFAULT, Importance.LOW, DELETE_ENABLED_DOC);

    /** Parses and validates {@code props}; a bad value raises a {@link ConfigException} naming the key. */
    public AuditSinkConfig(Map<String, ?> props) {
        super(CONFIG, CommonKeys.renameDeprecated(props, DEPRECATED), false);
    }

    /** Every key with its doc and default. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public String site() {
        return getString(SITE);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    public String registryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public String topic() {
        return getString(TOPIC);
    }

    public String groupId() {
        String g = getString(GROUP_ID);
        return g == null || g.isBlank() ? "netsplit-audit-" + site() : g;
    }

    public String storeUrl() {
        return getString(STORE_URL);
    }

    public String storeUser() {
        return getString(STORE_USER);
    }

    public String storePassword() {
        return getPassword(STORE_PASSWORD).value();
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public int maxPollRecords() {
        return getInt(MAX_POLL_RECORDS);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS));
    }

    public boolean deleteEnabled() {
        return getBoolean(DELETE_ENABLED);
    }

    /** Extra consumer settings: every {@code kafka.*} key (formerly {@code consumer.*}), without the prefix. */
    public Map<String, Object> consumerOverrides() {
        return CommonKeys.kafkaOverrides(this);
    }
}
