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
        m.put("writer.kafka.compression.type", "lz4");
        assertThat(new SiteWriterConfig(m).kafkaOverrides()).containsEntry("compression.type", "lz4");
    }
}
