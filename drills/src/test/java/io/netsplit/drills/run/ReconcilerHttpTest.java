package io.netsplit.drills.run;

import io.netsplit.kit.Json;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;
import io.netsplit.reconcile.client.ReconcilerClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerHttpTest {

    private static final String BODY = "{\"site\":\"eu-west\",\"state\":\"RUNNING\",\"policy\":\"lww\","
            + "\"policies\":{\"manual-\":\"manual\"},\"siteOrder\":[\"eu-west\",\"us-east\"],\"authority\":[\"us-east\"],"
            + "\"conflicts\":3,\"merged\":2,\"pending\":1,\"lag\":{\"changes.eu-west\":4,\"changes.us-east\":7},"
            + "\"frontier\":{\"eu-west\":12},\"keys\":17,\"digest\":\"9f2c\",\"auditSequence\":44}";

    @Test
    void shouldKeepWhatADrillChecksOfTheStatus() throws Exception {
        try (JsonHttpServer server = JsonHttpServer.builder("test-reconciler").host("127.0.0.1").port(0)
                .get("/status", r -> Response.ok(Json.mapper().readTree(BODY))).build().start()) {

            DrillTarget.ReconcilerStatus s = ReconcilerHttp.status("eu-west", "http://127.0.0.1:" + server.port());

            assertThat(s.counts()).isEqualTo("conflicts=3 merged=2 pending=1");
            assertThat(s.inputLag()).isEqualTo(11);
            assertThat(s.digest()).isEqualTo("9f2c");
            assertThat(s.frontier()).isEqualTo(Map.of("eu-west", 12L));
            assertThat(s.defaultPolicy()).isEqualTo("lww");
            assertThat(s.policyPrefixes()).isEqualTo(Map.of("manual-", "manual"));
            assertThat(s.siteOrder()).containsExactly("eu-west", "us-east");
            assertThat(s.authority()).containsExactly("us-east");
        }
    }

    @Test
    void shouldFailInOneLineNamingTheSite() throws Exception {
        try (JsonHttpServer server = JsonHttpServer.builder("test-reconciler").host("127.0.0.1").port(0).build().start()) {
            String url = "http://127.0.0.1:" + server.port();

            assertThatThrownBy(() -> ReconcilerHttp.status("us-east", url))
                    .isInstanceOf(ReconcilerClient.Unavailable.class)
                    .hasMessage("reconciler at us-east answered HTTP 404 for " + url + "/status");
        }
    }
}
