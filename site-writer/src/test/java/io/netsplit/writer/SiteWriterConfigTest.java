package io.netsplit.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SiteWriterConfigTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put(SiteWriterConfig.SITE, "us-east");
        m.put(SiteWriterConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        m.put(SiteWriterConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
        return m;
    }

    @Test
    void shouldApplyDefaultsAndDeriveTheTransactionalId() {
        SiteWriterConfig c = new SiteWriterConfig(minimal());
        assertThat(c.transactionalId()).isEqualTo("netsplit-writer-us-east");
        assertThat(c.changesTopic()).isEqualTo("changes");
        assertThat(c.convergedTopic()).isEqualTo("converged");
        assertThat(c.authToken()).isNull();
        assertThat(c.maxKeyBytes()).isEqualTo(256);
        assertThat(c.rejectWritesWhenDiverged()).isFalse();
        assertThat(c.healthTopic()).isEqualTo("health.status");
    }

    @Test
    void shouldNeverAcceptMoreThanAReconcilerDoes() {
        Map<String, Object> key = minimal();
        key.put(SiteWriterConfig.MAX_KEY_BYTES, Integer.toString(io.netsplit.schemas.Limits.KEY_BYTES + 1));
        assertThatThrownBy(() -> new SiteWriterConfig(key)).hasMessageContaining(SiteWriterConfig.MAX_KEY_BYTES);
        Map<String, Object> event = minimal();
        event.put(SiteWriterConfig.MAX_EVENT_BYTES, Integer.toString(io.netsplit.schemas.Limits.EVENT_BYTES + 1));
        assertThatThrownBy(() -> new SiteWriterConfig(event)).hasMessageContaining(SiteWriterConfig.MAX_EVENT_BYTES);
        assertThat(new SiteWriterConfig(minimal()).maxEventBytes()).isEqualTo(io.netsplit.schemas.Limits.EVENT_BYTES);
    }

    @Test
    void shouldNameTheBadKey() {
        Map<String, Object> m = minimal();
        m.put(SiteWriterConfig.SITE, "US East");
        assertThatThrownBy(() -> new SiteWriterConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SiteWriterConfig.SITE);
        Map<String, Object> n = minimal();
        n.put(SiteWriterConfig.MAX_FIELDS, "0");
        assertThatThrownBy(() -> new SiteWriterConfig(n)).hasMessageContaining(SiteWriterConfig.MAX_FIELDS);
        Map<String, Object> o = minimal();
        o.remove(SiteWriterConfig.BOOTSTRAP_SERVERS);
        assertThatThrownBy(() -> new SiteWriterConfig(o)).hasMessageContaining(SiteWriterConfig.BOOTSTRAP_SERVERS);
        Map<String, Object> p = minimal();
        p.put(SiteWriterConfig.REQUEST_TIMEOUT_MS, "1000");
        assertThatThrownBy(() -> new SiteWriterConfig(p)).hasMessageContaining(SiteWriterConfig.REQUEST_TIMEOUT_MS);
        Map<String, Object> q = minimal();
        q.put(SiteWriterConfig.SCHEMA_REGISTRY_URL, "registry:8081");
        assertThatThrownBy(() -> new SiteWriterConfig(q)).hasMessageContaining(SiteWriterConfig.SCHEMA_REGISTRY_URL);
        Map<String, Object> r = minimal();
        r.put(SiteWriterConfig.HEALTH_REJECT_WHEN_DIVERGED, "sometimes");
        assertThatThrownBy(() -> new SiteWriterConfig(r))
                .hasMessageContaining(SiteWriterConfig.HEALTH_REJECT_WHEN_DIVERGED);
        Map<String, Object> t = minimal();
        t.put(SiteWriterConfig.HEALTH_TOPIC, "");
        assertThatThrownBy(() -> new SiteWriterConfig(t)).hasMessageContaining(SiteWriterConfig.HEALTH_TOPIC);
    }

    @Test
    void shouldPassKafkaOverridesThrough() {
        Map<String, Object> m = minimal();
        m.put("kafka.compression.type", "lz4");
        assertThat(new SiteWriterConfig(m).kafkaOverrides()).containsEntry("compression.type", "lz4");
    }

    @Test
    void shouldAcceptTheOldPrefixedNamesAsDeprecatedAliases() {
        Map<String, Object> m = new HashMap<>();
        m.put("writer.site", "eu-west");
        m.put("writer.bootstrap.servers", "127.0.0.1:9092");
        m.put("writer.schema.registry.url", "http://127.0.0.1:8081");
        m.put("writer.http.port", "0");
        m.put("writer.topic.changes", "c2");
        m.put("writer.health.topic", "h2");
        m.put("writer.kafka.compression.type", "lz4");
        SiteWriterConfig c = new SiteWriterConfig(m);
        assertThat(c.site()).isEqualTo("eu-west");
        assertThat(c.httpPort()).isZero();
        assertThat(c.changesTopic()).isEqualTo("c2");
        assertThat(c.healthTopic()).isEqualTo("h2");
        assertThat(c.kafkaOverrides()).containsEntry("compression.type", "lz4");
    }

    @Test
    void shouldRefuseAnOldAndANewNameWithDifferentValues() {
        Map<String, Object> m = minimal();
        m.put("writer.site", "eu-west");
        assertThatThrownBy(() -> new SiteWriterConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessage("writer.site (deprecated name of site) is 'eu-west' but site is 'us-east': set only site");
    }

    @Test
    void shouldListEveryKeyAndExitTwoOnABadOne() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(SiteWriterMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--list-config")).isZero();
        assertThat(out.toString()).startsWith("site (default: required)\n").contains("writer.max.event.bytes (default: ")
                .contains("topic.health.status (default: health.status)");
        assertThat(SiteWriterMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--set", "site=us-east")).isEqualTo(2);
        assertThat(err.toString()).startsWith("site-writer: ").contains("bootstrap.servers").hasLineCount(1);
    }
}
