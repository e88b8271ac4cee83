package io.netsplit.audit;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditSinkConfigTest {

    private static Map<String, String> minimal() {
        return new HashMap<>(Map.of(AuditSinkConfig.SITE, "us-east", AuditSinkConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092",
                AuditSinkConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081"));
    }

    @Test
    void shouldDefaultToSqliteTheAuditTopicAndASiteGroup() {
        AuditSinkConfig c = new AuditSinkConfig(minimal());

        assertThat(c.storeUrl()).isEqualTo("jdbc:sqlite:audit.db");
        assertThat(c.topic()).isEqualTo("audit");
        assertThat(c.groupId()).isEqualTo("netsplit-audit-us-east");
        assertThat(c.deleteEnabled()).isFalse();
    }

    @Test
    void shouldPassConsumerSettingsThroughWithoutThePrefix() {
        Map<String, String> p = minimal();
        p.put("consumer.session.timeout.ms", "6000");

        assertThat(new AuditSinkConfig(p).consumerOverrides()).containsExactly(Map.entry("session.timeout.ms", "6000"));
    }

    @Test
    void shouldNameTheBadKey() {
        Map<String, String> badUrl = minimal();
        badUrl.put(AuditSinkConfig.STORE_URL, "jdbc:mysql://db/audit");
        Map<String, String> badSite = minimal();
        badSite.put(AuditSinkConfig.SITE, "US East");
        Map<String, String> missing = minimal();
        missing.remove(AuditSinkConfig.BOOTSTRAP_SERVERS);

        assertThatThrownBy(() -> new AuditSinkConfig(badUrl)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(AuditSinkConfig.STORE_URL);
        assertThatThrownBy(() -> new AuditSinkConfig(badSite)).hasMessageContaining(AuditSinkConfig.SITE);
        assertThatThrownBy(() -> new AuditSinkConfig(missing)).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldReadKeyValueArguments() {
        assertThat(AuditSinkMain.parse(new String[] {"a=1", "b=x=y"})).containsEntry("a", "1").containsEntry("b", "x=y");
        assertThatThrownBy(() -> AuditSinkMain.parse(new String[] {"oops"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not key=value");
    }
}
