package io.netsplit.health;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthConfigTest {

    @Test
    void shouldHaveUsableDefaults() {
        HealthConfig c = HealthConfig.of(Map.of());
        assertThat(c.interval().toMillis()).isEqualTo(2000);
        assertThat(c.failureThreshold()).isEqualTo(3);
        assertThat(c.statusTopic()).isEqualTo("health.status");
        assertThat(c.webhookUrls()).isEmpty();
        assertThat(c.detectionTime().toMillis()).isEqualTo(3 * (2000 + 2000));
        // two partitions in a row are not flapping; three cuts and heals are
        assertThat(c.flapCount()).isEqualTo(6);
    }

    @Test
    void shouldEnforceTheMinimumInterval() {
        assertThatThrownBy(() -> HealthConfig.of(Map.of(HealthConfig.INTERVAL_MS, "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("health.interval.ms").hasMessageContaining("250");
    }

    @Test
    void shouldAcceptTheOldNamesAsDeprecatedAliases() {
        HealthConfig c = HealthConfig.of(Map.of("health.status.topic", "", "health.converged.topic", "conv2",
                "health.http.host", "0.0.0.0", "health.http.port", "8080"));
        assertThat(c.statusTopic()).isEmpty();
        assertThat(c.convergedTopic()).isEqualTo("conv2");
        assertThat(c.httpHost()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThatThrownBy(() -> HealthConfig.of(Map.of("health.http.port", "8080", HealthConfig.HTTP_PORT, "8081")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("health.http.port (deprecated name of http.port)");
    }

    @Test
    void shouldRequireADescriptorAndExitTwoWithoutOne() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(HealthMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--set", "health.interval.ms=1000")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("health: health.descriptor is required: the lab.json naming the sites to check\n");
        assertThat(HealthMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--list-config")).isZero();
        assertThat(out.toString()).contains("topic.health.status (default: health.status)").contains("health.interval.ms");
    }

    @Test
    void shouldNameAnUnknownKey() {
        assertThatThrownBy(() -> HealthConfig.of(Map.of("health.intervall.ms", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'health.intervall.ms'");
    }

    @Test
    void shouldRejectAWebhookThatIsNotHttp() {
        assertThatThrownBy(() -> HealthConfig.of(Map.of(HealthConfig.WEBHOOK_URLS, "http://ok/hook,ftp://x/y")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("health.webhook.urls").hasMessageContaining("ftp://x/y");
    }

    @Test
    void shouldRejectABackoffCapBelowTheFirstBackoff() {
        assertThatThrownBy(() -> HealthConfig.of(Map.of(HealthConfig.WEBHOOK_BACKOFF_MS, "5000",
                HealthConfig.WEBHOOK_BACKOFF_MAX_MS, "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("health.webhook.backoff.max.ms");
    }

    @Test
    void shouldRejectAZeroThreshold() {
        assertThatThrownBy(() -> HealthConfig.of(Map.of(HealthConfig.FAILURE_THRESHOLD, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("health.failure.threshold");
    }
}
