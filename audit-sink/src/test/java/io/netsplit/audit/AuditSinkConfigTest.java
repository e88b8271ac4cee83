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
        p.put("kafka.session.timeout.ms", "6000");

        assertThat(new AuditSinkConfig(p).consumerOverrides()).containsExactly(Map.entry("session.timeout.ms", "6000"));
    }

    @Test
    void shouldAcceptTheOldNamesAsDeprecatedAliases() {
        Map<String, String> p = new HashMap<>(Map.of("audit.site", "eu-west", "bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "http://127.0.0.1:8081", "audit.topic", "audit2", "audit.http.port", "0",
                "consumer.session.timeout.ms", "6000"));
        AuditSinkConfig c = new AuditSinkConfig(p);

        assertThat(c.site()).isEqualTo("eu-west");
        assertThat(c.topic()).isEqualTo("audit2");
        assertThat(c.httpPort()).isZero();
        assertThat(c.consumerOverrides()).containsExactly(Map.entry("session.timeout.ms", "6000"));
        p.put(AuditSinkConfig.TOPIC, "audit3");
        assertThatThrownBy(() -> new AuditSinkConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("audit.topic (deprecated name of topic.audit)");
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
    void shouldReadTheServiceCommandLine() {
        assertThat(AuditSinkMain.service().settings("--set", "a=1", "--set", "b=x=y")).containsEntry("a", "1")
                .containsEntry("b", "x=y");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(AuditSinkMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "oops"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("audit-sink: ").hasLineCount(1);
        assertThat(AuditSinkMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--list-config")).isZero();
        assertThat(out.toString()).contains("topic.audit (default: audit)").contains("audit.store.url (default: ");
    }
}
