package io.netsplit.reconcile.client;

import io.netsplit.kit.HttpError;
import io.netsplit.kit.Json;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerClientTest {

    /** A {@code /status} body as a running reconciler wrote it before the body had a type (reconcile-streams/README.md). */
    static final String RECORDED = "{\"site\":\"eu-west\",\"state\":\"RUNNING\",\"policy\":\"lww\","
            + "\"policies\":{\"manual-\":\"manual\"},\"siteOrder\":[\"eu-west\",\"us-east\"],\"authority\":[],"
            + "\"conflicts\":3,\"merged\":2,\"pending\":1,"
            + "\"counters\":{\"compared\":40,\"merged\":2,\"duplicates\":5,\"stale\":1,\"rejected\":0,\"retried\":0,"
            + "\"manualResolutions\":0,\"applied\":34,\"deadLettered\":0,\"rejectedDecisions\":0},"
            + "\"lag\":{\"changes.eu-west\":0,\"changes.us-east\":7},\"frontier\":{\"eu-west\":12,\"us-east\":9},"
            + "\"keys\":17,\"digest\":\"9f2c\",\"auditSequence\":44}";

    private JsonHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String serve(JsonHttpServer.Builder builder) throws Exception {
        server = builder.host("127.0.0.1").port(0).build().start();
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void shouldReadARecordedStatusBody() throws Exception {
        String url = serve(JsonHttpServer.builder("test-reconciler")
                .get("/status", r -> Response.ok(Json.mapper().readTree(RECORDED))));

        ReconcilerStatus s = new ReconcilerClient("eu-west", url).status();

        assertThat(s.site()).isEqualTo("eu-west");
        assertThat(s.state()).isEqualTo("RUNNING");
        assertThat(s.policies()).containsExactly(Map.entry("manual-", "manual"));
        assertThat(s.siteOrder()).containsExactly("eu-west", "us-east");
        assertThat(s.counts()).isEqualTo("conflicts=3 merged=2 pending=1");
        assertThat(s.counters().compared()).isEqualTo(40);
        assertThat(s.counters().applied()).isEqualTo(34);
        assertThat(s.inputLag()).isEqualTo(7);
        assertThat(s.frontier()).containsExactly(Map.entry("eu-west", 12L), Map.entry("us-east", 9L));
        assertThat(s.keys()).isEqualTo(17);
        assertThat(s.digest()).isEqualTo("9f2c");
        assertThat(s.auditSequence()).isEqualTo(44);
    }

    @Test
    void shouldWriteTheBodyUsersAlreadyRead() throws Exception {
        // the server answers the record: the same fields, in the same order, as the untyped body before it, and after
        // them what was added since (an older body reads as having none)
        ReconcilerStatus s = Json.mapper().readValue(RECORDED, ReconcilerStatus.class);

        assertThat(Json.mapper().writeValueAsString(s))
                .isEqualTo(RECORDED.substring(0, RECORDED.length() - 1) + ",\"gaps\":[]}");
    }

    @Test
    void shouldReadTheInputGapsAReconcilerReports() throws Exception {
        String body = RECORDED.substring(0, RECORDED.length() - 1) + ",\"gaps\":[{\"topic\":\"us-east.changes\","
                + "\"partition\":1,\"firstMissingOffset\":35,\"lostOffsets\":146,\"detectedAtMs\":1000}]}";

        ReconcilerStatus s = Json.mapper().readValue(body, ReconcilerStatus.class);

        assertThat(s.gaps()).containsExactly(new ReconcilerStatus.InputGap("us-east.changes", 1, 35, 146, 1000));
        assertThat(s.gaps().get(0).describe())
                .isEqualTo("us-east.changes-1 offsets 35..180 (146 offsets) deleted by retention before they were reconciled");
        assertThat(Json.mapper().writeValueAsString(s)).isEqualTo(body);
    }

    @Test
    void shouldReadABodyWithoutOptionalPartsAsEmpty() throws Exception {
        ReconcilerStatus s = Json.mapper().readValue("{\"site\":\"a\",\"state\":\"RUNNING\",\"extra\":1}", ReconcilerStatus.class);

        assertThat(s.lag()).isEmpty();
        assertThat(s.inputLag()).isZero();
        assertThat(s.authority()).isEqualTo(List.of());
        assertThat(s.counters()).isEqualTo(ReconcilerStatus.Counters.NONE);
        assertThat(s.gaps()).isEmpty();
    }

    @Test
    void shouldNameTheSiteAndUrlWhenTheReconcilerRefuses() throws Exception {
        String url = serve(JsonHttpServer.builder("test-reconciler")
                .get("/status", r -> {
                    throw HttpError.of(503, "restoring");
                }));

        assertThatThrownBy(() -> new ReconcilerClient("us-east", url).status())
                .isInstanceOf(ReconcilerClient.Unavailable.class)
                .hasMessage("reconciler at us-east answered HTTP 503 for " + url + "/status");
    }

    @Test
    void shouldNameTheSiteAndUrlWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;

        assertThatThrownBy(() -> new ReconcilerClient("us-east", url).status())
                .isInstanceOf(ReconcilerClient.Unavailable.class)
                .hasMessageStartingWith("reconciler at us-east unreachable (" + url + "/status): ")
                .hasMessageNotContaining("\n");
    }
}
