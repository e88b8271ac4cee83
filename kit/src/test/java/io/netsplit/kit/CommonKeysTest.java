package io.netsplit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CommonKeysTest {

    private static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> a = new LinkedHashMap<>(CommonKeys.prefixedAliases("writer."));
        a.put("writer.topic.changes", TopicName.CHANGES.key());
        return a;
    }

    @Test
    void shouldDefineEachCommonKeyWithItsDefaultAndValidation() {
        ConfigDef def = new ConfigDef();
        CommonKeys.define(def).site().bootstrapServers().schemaRegistryUrl().http(8088).topic(TopicName.CHANGES)
                .topic(TopicName.HEALTH_STATUS, true);

        AbstractConfig c = new AbstractConfig(def, Map.of("site", "us-east", "bootstrap.servers", "k:9092",
                "schema.registry.url", "http://r:8081", "topic.health.status", "", "kafka.linger.ms", "5"), false);

        assertThat(c.getString("http.host")).isEqualTo("127.0.0.1");
        assertThat(c.getInt("http.port")).isEqualTo(8088);
        assertThat(c.getString("topic.changes")).isEqualTo("changes");
        assertThat(c.getString("topic.health.status")).isEmpty();
        assertThat(CommonKeys.kafkaOverrides(c)).containsExactly(Map.entry("linger.ms", "5"));
        assertThatThrownBy(() -> new AbstractConfig(def, Map.of("site", "us-east", "bootstrap.servers", "k:9092",
                "schema.registry.url", "registry:8081"), false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AbstractConfig(def, Map.of("site", "us-east", "bootstrap.servers", "k:9092",
                "schema.registry.url", "http://r", "topic.changes", "no spaces"), false))
                .hasMessageContaining("topic.changes").hasMessageContaining("not a legal Kafka topic name");
    }

    @Test
    void shouldRenameDeprecatedKeysAndPrefixes() {
        Map<String, Object> renamed = CommonKeys.renameDeprecated(Map.of("writer.site", "us-east",
                "writer.kafka.compression.type", "lz4", "writer.topic.changes", "c2", "writer.max.fields", "7"), ALIASES);

        assertThat(renamed).containsOnly(Map.entry("site", "us-east"), Map.entry("kafka.compression.type", "lz4"),
                Map.entry("topic.changes", "c2"), Map.entry("writer.max.fields", "7"));
    }

    @Test
    void shouldAcceptTheOldAndTheNewNameWithTheSameValue() {
        assertThat(CommonKeys.renameDeprecated(Map.of("writer.site", "us-east", "site", "us-east"), ALIASES))
                .containsOnly(Map.entry("site", "us-east"));
    }

    @Test
    void shouldRefuseTheOldAndTheNewNameWithDifferentValues() {
        assertThatThrownBy(() -> CommonKeys.renameDeprecated(Map.of("writer.http.port", "1", "http.port", "2"), ALIASES))
                .isInstanceOf(ConfigException.class)
                .hasMessage("writer.http.port (deprecated name of http.port) is '1' but http.port is '2': set only http.port");
    }

    @Test
    void shouldNameTheNewKeyOfAnAlias() {
        assertThat(CommonKeys.newName("writer.bootstrap.servers", ALIASES)).isEqualTo("bootstrap.servers");
        assertThat(CommonKeys.newName("writer.kafka.acks", ALIASES)).isEqualTo("kafka.acks");
        assertThat(CommonKeys.newName("writer.max.fields", ALIASES)).isNull();
        assertThat(CommonKeys.canonical("writer.site", ALIASES)).isEqualTo("site");
        assertThat(CommonKeys.canonical("writer.max.fields", ALIASES)).isEqualTo("writer.max.fields");
    }
}
