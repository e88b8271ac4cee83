package io.netsplit.kit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration keys every service names the same way, each defined here once with its one doc: {@code site},
 * {@code bootstrap.servers}, {@code schema.registry.url}, {@code http.host}, {@code http.port}, the pass-through
 * {@code kafka.*} and the topic names ({@link TopicName#key()}). A service adds the ones it uses to its
 * {@link ConfigDef} with {@link #define(ConfigDef)}; its own keys keep its prefix ({@code writer.max.event.bytes}).
 *
 * <p>The names services used before ({@code writer.site}, {@code audit.http.port}, ...) stay accepted as deprecated
 * aliases: {@link #renameDeprecated(Map, Map)} maps them to the new key with one warning each, and refuses an old
 * and a new key given with different values.
 */
public final class CommonKeys {

    private static final Logger log = LoggerFactory.getLogger(CommonKeys.class);

    public static final String SITE = "site";
    static final String SITE_DOC = "Alias of the site this service runs at, e.g. us-east (" + SiteAlias.RULE + "); it "
            + "names the service's consumer groups, application and transactional ids, and tags its metrics.";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    static final String BOOTSTRAP_SERVERS_DOC = "Bootstrap servers of the site's own Kafka cluster.";

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-API base URL of the schema registry, e.g. "
            + "http://registry:8081 or http://apicurio:8080/apis/ccompat/v7 (mock://<scope> in fast tests).";

    public static final String HTTP_HOST = "http.host";
    static final String HTTP_HOST_DOC = "Address the service's HTTP API binds to: loopback by default; 0.0.0.0 in a "
            + "container whose port is published.";
    public static final String HTTP_HOST_DEFAULT = "127.0.0.1";

    public static final String HTTP_PORT = "http.port";
    static final String HTTP_PORT_DOC = "Port of the service's HTTP API; 0 picks a free one.";

    /** Prefix of Kafka client properties handed, without it, to every Kafka client the service creates. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** The doc of {@link #KAFKA_PREFIX}. */
    public static final String KAFKA_PREFIX_DOC = "kafka.<property>: a Kafka client property (e.g. "
            + "kafka.security.protocol=SSL) handed, without the prefix, to every Kafka client the service creates.";

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private CommonKeys() {
    }

    /** Adds common keys to {@code def}: {@code CommonKeys.define(def).site().bootstrapServers()...}. */
    public static Definer define(ConfigDef def) {
        return new Definer(def);
    }

    /** What {@link #define(ConfigDef)} adds, one key group per call. */
    public static final class Definer {

        private final ConfigDef def;

        private Definer(ConfigDef def) {
            this.def = def;
        }

        /** {@code site}, required, a {@link SiteAlias}. */
        public Definer site() {
            def.define(SITE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, SiteAlias.validator(), Importance.HIGH, SITE_DOC);
            return this;
        }

        /** {@code bootstrap.servers}, required. */
        public Definer bootstrapServers() {
            def.define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, BOOTSTRAP_SERVERS_DOC);
            return this;
        }

        /** {@code schema.registry.url}, required, an http(s) (or mock://) URL. */
        public Definer schemaRegistryUrl() {
            def.define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, httpUrl(), Importance.HIGH,
                    SCHEMA_REGISTRY_URL_DOC);
            return this;
        }

        /** {@code http.host} (default loopback) and {@code http.port}, whose default the service chooses. */
        public Definer http(int defaultPort) {
            def.define(HTTP_HOST, Type.STRING, HTTP_HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    HTTP_HOST_DOC);
            def.define(HTTP_PORT, Type.INT, defaultPort, Range.between(0, 65535), Importance.MEDIUM, HTTP_PORT_DOC);
            return this;
        }

        /** The key naming {@code topic}, defaulting to its {@link TopicName#defaultName()}: a legal topic name. */
        public Definer topic(TopicName topic) {
            return topic(topic, false);
        }

        /** As {@link #topic(TopicName)}; with {@code emptyDisables}, an empty name is accepted (the service skips it). */
        public Definer topic(TopicName topic, boolean emptyDisables) {
            def.define(topic.key(), Type.STRING, topic.defaultName(), TopicName.validator(emptyDisables),
                    Importance.MEDIUM, topic.doc() + (emptyDisables ? " Empty disables it." : ""));
            return this;
        }

        /** The {@link ConfigDef}, to define the service's own keys after the common ones. */
        public ConfigDef configDef() {
            return def;
        }
    }

    /**
     * Whether {@code key} is a setting every service of a lab shares: a topic name ({@code topic.*}) or a Kafka client
     * property ({@code kafka.*}). The lab passes these to every service it starts; a service ignores the ones it
     * does not define.
     */
    public static boolean isShared(String key) {
        return key.startsWith("topic.") || key.startsWith(KAFKA_PREFIX);
    }

    /** The {@code kafka.*} settings of {@code config} without the prefix: for every Kafka client of the service. */
    public static Map<String, Object> kafkaOverrides(AbstractConfig config) {
        return config.originalsWithPrefix(KAFKA_PREFIX);
    }

    /**
     * The deprecated names of the common keys under a service's old {@code prefix} ({@code writer.}): {@code
     * <prefix>site}, {@code <prefix>bootstrap.servers}, {@code <prefix>schema.registry.url}, {@code <prefix>http.host},
     * {@code <prefix>http.port} and the prefix {@code <prefix>kafka.}, each mapped to its new name.
     */
    public static Map<String, String> prefixedAliases(String prefix) {
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String key : new String[] {SITE, BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, HTTP_HOST, HTTP_PORT, KAFKA_PREFIX}) {
            aliases.put(prefix + key, key);
        }
        return aliases;
    }

    /**
     * {@code props} with every deprecated key of {@code aliases} (old name → new name; a name ending in '.' renames
     * every key under that prefix) replaced by its new name. Each old name in use is logged once as a warning naming
     * the new key.
     *
     * @throws ConfigException when an old and its new key are both given, with different values
     */
    public static Map<String, Object> renameDeprecated(Map<String, ?> props, Map<String, String> aliases) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, String> renamedFrom = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (newName(key, aliases) == null) {
                out.put(key, value);
            }
        });
        props.forEach((key, value) -> {
            String renamed = newName(key, aliases);
            if (renamed == null) {
                return;
            }
            if (WARNED.add(key)) {
                log.warn("configuration key {} is deprecated: use {}", key, renamed);
            }
            if (out.containsKey(renamed) && !String.valueOf(out.get(renamed)).equals(String.valueOf(value))) {
                String other = renamedFrom.getOrDefault(renamed, renamed);
                throw new ConfigException(key + " (deprecated name of " + renamed + ") is '" + value + "' but " + other
                        + " is '" + out.get(renamed) + "': set only " + renamed);
            }
            out.put(renamed, value);
            renamedFrom.put(renamed, key);
        });
        return out;
    }

    /** The name {@code key} stands for: its new name when it is a deprecated alias, else itself. */
    public static String canonical(String key, Map<String, String> aliases) {
        String renamed = newName(key, aliases);
        return renamed == null ? key : renamed;
    }

    /** The new name of {@code key}, or null when it is not deprecated. */
    public static String newName(String key, Map<String, String> aliases) {
        String renamed = aliases.get(key);
        if (renamed != null && !key.endsWith(".")) {
            return renamed;
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (alias.getKey().endsWith(".") && key.startsWith(alias.getKey())) {
                return alias.getValue() + key.substring(alias.getKey().length());
            }
        }
        return null;
    }

    private static ConfigDef.Validator httpUrl() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String v = value == null ? "" : value.toString().strip();
                if (!(v.startsWith("http://") || v.startsWith("https://") || v.startsWith("mock://"))) {
                    throw new ConfigException(name, value, "must be an http:// or https:// URL");
                }
            }

            @Override
            public String toString() {
                return "an http:// or https:// URL";
            }
        };
    }
}
