package io.netsplit.audit.internal;

import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.store.AuditStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.netsplit.audit.AuditFixtures.storedRange;
import static org.assertj.core.api.Assertions.assertThat;

/** The sink's HTTP API on a SQLite store, without Kafka: status codes and error bodies. */
class AuditHttpApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private AuditStore store;
    private AuditHttpApi api;

    private String start(boolean deleteEnabled, boolean consumerAlive) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(AuditSinkConfig.SITE, "us-east",
                AuditSinkConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", AuditSinkConfig.SCHEMA_REGISTRY_URL, "mock://api",
                AuditSinkConfig.HTTP_PORT, "0"));
        props.put(AuditSinkConfig.DELETE_ENABLED, Boolean.toString(deleteEnabled));
        AuditSinkConfig config = new AuditSinkConfig(props);
        store = AuditStore.open("jdbc:sqlite:" + dir.resolve("a.db"), null, null);
        SinkMetrics metrics = new SinkMetrics("us-east");
        api = new AuditHttpApi(config, store, new AuditRepairer(config, store, new AuditDecoder("mock://api"), metrics),
                metrics, () -> consumerAlive);
        api.start();
        store.store(storedRange("us-east", 1, 5));
        return "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static HttpResponse<String> send(String method, String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIs503WhenTheConsumerIsNotRunning() throws Exception {
        String base = start(false, false);

        HttpResponse<String> r = send("GET", base + "/health");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"consumerRunning\":false").contains("\"decisions\":5");
    }

    @Test
    void badParametersAre400WithAMessage() throws Exception {
        String base = start(false, true);

        assertThat(send("GET", base + "/conflicts?since=soon")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"error\":\"malformed --since 'soon'");
        });
        assertThat(send("GET", base + "/conflicts?format=xml").statusCode()).isEqualTo(400);
        assertThat(send("GET", base + "/conflicts?limit=many").statusCode()).isEqualTo(400);
        assertThat(send("POST", base + "/conflicts").statusCode()).isEqualTo(405);
        assertThat(send("GET", base + "/conflicts/unknown-id").statusCode()).isEqualTo(404);
        assertThat(send("GET", base + "/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void deletingRecordsIsRefusedUnlessEnabled() throws Exception {
        String base = start(false, true);

        HttpResponse<String> r = send("DELETE", base + "/audit/decisions?site=us-east&from=2&to=3");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(store.count(null)).isEqualTo(5);
    }

    @Test
    void deletingRecordsWhenEnabledShowsUpInVerify() throws Exception {
        String base = start(true, true);

        HttpResponse<String> r = send("DELETE", base + "/audit/decisions?site=us-east&from=2&to=3");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"deleted\":2}");
        assertThat(send("GET", base + "/audit/verify").body())
                .contains("\"missing\":[{\"from\":2,\"to\":3}]");
        assertThat(send("GET", base + "/conflicts?format=csv&all=true").body().lines()).hasSize(4);
        assertThat(List.of(send("GET", base + "/metrics").body())).singleElement().asString()
                .contains("audit_records_stored_total{site=\"us-east\"}");
    }
}
