package io.netsplit.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsplit.health.HealthStatus;
import io.netsplit.health.StatusChange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a site-writer reads from the status topic: the validity every event states, and heartbeats that renew it. */
class StatusEventJsonTest {

    private static StatusChange diverged(Long validForMs) {
        return new StatusChange(StatusChange.TYPE, "netsplit-health", 3, HealthStatus.DIVERGED, HealthStatus.HEALTHY, 1_000,
                "1970-01-01T00:00:01Z", 500L, 500L, null, List.of("eu-west"), List.of(), List.of("eu-west differs"), validForMs);
    }

    @Test
    void everyEventStatesHowLongItStandsAndAHeartbeatRepeatsTheStatus() throws Exception {
        JsonNode change = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(diverged(30_000L)));
        JsonNode beat = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(diverged(30_000L).heartbeat()));

        assertThat(change.path("type").asText()).isEqualTo("status-change");
        assertThat(change.path("validForMs").asLong()).isEqualTo(30_000);
        assertThat(beat.path("type").asText()).isEqualTo("status-heartbeat");
        assertThat(beat.path("status").asText()).isEqualTo(change.path("status").asText());
        assertThat(beat.path("sites")).isEqualTo(change.path("sites"));
        assertThat(beat.path("sequence").asLong()).isEqualTo(3);
        assertThat(beat.path("validForMs").asLong()).isEqualTo(30_000);
    }

    @Test
    void aCheckerConfiguredWithoutExpiryStatesNone() throws Exception {
        JsonNode change = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(diverged(null)));

        assertThat(change.path("validForMs").isNull() || change.path("validForMs").isMissingNode()).isTrue();
    }
}
