package io.netsplit.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.schemas.ChangeEvent;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final String BASE = "/apis/ccompat/v7";
    private static final Schema SCHEMA = ChangeEvent.getClassSchema();

    private StubRegistry stub;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws Exception {
        stub = new StubRegistry(BASE);
        client = new RestSchemaRegistryClient(RegistryClientSettings.of(stub.url() + "/")
                .withMaxAttempts(3)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .withRequestTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    @Test
    void shouldRegisterUnderTheBasePathWithTheRegistryMediaType() throws Exception {
        stub.then(200, "{\"id\":17}");

        int id = client.register("changes-value", SCHEMA);

        assertThat(id).isEqualTo(17);
        StubRegistry.Request request = stub.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(BASE + "/subjects/changes-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.accept()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(new ObjectMapper().readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void shouldCacheIdsAndSchemasBothWays() {
        stub.then(200, "{\"id\":17}");

        client.register("changes-value", SCHEMA);
        int again = client.register("changes-value", SCHEMA);
        int looked = client.lookupId("changes-value", SCHEMA);
        Schema byId = client.getSchemaById(17);

        assertThat(again).isEqualTo(17);
        assertThat(looked).isEqualTo(17);
        assertThat(byId).isEqualTo(SCHEMA);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void shouldFetchAndCacheSchemasById() throws Exception {
        String body = new ObjectMapper().createObjectNode().put("schema", SCHEMA.toString()).toString();
        stub.then(200, body);

        assertThat(client.getSchemaById(5)).isEqualTo(SCHEMA);
        assertThat(client.getSchemaById(5)).isEqualTo(SCHEMA);

        assertThat(stub.requests()).extracting(StubRegistry.Request::path).containsExactly(BASE + "/schemas/ids/5");
    }

    @Test
    void shouldLookUpIdsBySchema() {
        stub.then(200, "{\"subject\":\"changes-value\",\"id\":9,\"version\":2,\"schema\":\"...\"}");

        assertThat(client.lookupId("changes-value", SCHEMA)).isEqualTo(9);
        assertThat(stub.requests().get(0).path()).isEqualTo(BASE + "/subjects/changes-value");
    }

    @Test
    void shouldSurfaceTheRegistrysErrorVerbatimWithoutRetrying() {
        String message = "Schema being registered is incompatible with an earlier schema for subject \"changes-value\", "
                + "details: [{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'...'}]";
        stub.then(409, new ObjectMapper().createObjectNode().put("error_code", 409).put("message", message).toString());

        assertThatThrownBy(() -> client.register("changes-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.registryMessage()).isEqualTo(message);
                    assertThat(e.isIncompatible()).isTrue();
                })
                .hasMessage("schema registry at " + stub.url() + " rejected POST /subjects/changes-value/versions: "
                        + "HTTP 409 (error_code 409): " + message);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void shouldReportUnknownIdsAsNotFound() {
        stub.then(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}");

        assertThatThrownBy(() -> client.getSchemaById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                })
                .hasMessageEndingWith("rejected GET /schemas/ids/99: HTTP 404 (error_code 40403): Schema 99 not found");
    }

    @Test
    void shouldRetryServerErrorsThenSucceed() {
        stub.then(503, "").then(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}").then(200, "{\"id\":3}");

        assertThat(client.register("changes-value", SCHEMA)).isEqualTo(3);
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void shouldGiveUpAfterTheConfiguredAttemptsOnServerErrors() {
        stub.otherwise(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");

        assertThatThrownBy(() -> client.register("changes-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryUnreachableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.httpStatus()).isEqualTo(500);
                })
                .hasMessage("schema registry at " + stub.url() + " unreachable after 3 attempts: "
                        + "HTTP 500 (error_code 50001): Error in the backend data store");
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void shouldGiveUpAfterTheConfiguredAttemptsWhenNothingListens() throws Exception {
        // a free port below the ephemeral range: a client could otherwise connect to itself on it
        int port = 0;
        for (int attempt = 0; attempt < 500 && port == 0; attempt++) {
            int candidate = java.util.concurrent.ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (java.io.IOException taken) {
                // try another
            }
        }
        String url = "http://127.0.0.1:" + port + BASE;
        try (RestSchemaRegistryClient offline = new RestSchemaRegistryClient(RegistryClientSettings.of(url)
                .withMaxAttempts(2).withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)))) {

            assertThatThrownBy(() -> offline.getSchemaById(1))
                    .isInstanceOf(SchemaRegistryUnreachableException.class)
                    .hasMessageStartingWith("schema registry at " + url + " unreachable after 2 attempts: java.net.ConnectException")
                    .hasCauseInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void shouldKeepServingCachedSchemasWhileTheRegistryIsDown() {
        stub.then(200, "{\"id\":17}");
        client.register("changes-value", SCHEMA);
        stub.close();

        assertThat(client.register("changes-value", SCHEMA)).isEqualTo(17);
        assertThat(client.getSchemaById(17)).isEqualTo(SCHEMA);
    }

    @Test
    void shouldQuoteNonJsonErrorBodies() {
        stub.then(401, "<html><body>Unauthorized</body></html>");

        assertThatThrownBy(() -> client.getGlobalCompatibility())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessage("schema registry at " + stub.url() + " rejected GET /config: HTTP 401: <html><body>Unauthorized</body></html>");
    }

    @Test
    void shouldReportUnusableAnswers() {
        stub.then(200, "{\"unexpected\":true}");

        assertThatThrownBy(() -> client.register("changes-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessage("schema registry at " + stub.url() + " gave an unusable answer to POST /subjects/changes-value/versions: "
                        + "no integer \"id\" in {\"unexpected\":true}");
    }

    @Test
    void shouldTestCompatibilityAgainstTheLatestVersion() {
        stub.then(200, "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE: country\"]}")
                .then(200, "{\"is_compatible\":true}")
                .then(404, "{\"error_code\":40401,\"message\":\"Subject 'fresh-value' not found.\"}");

        CompatibilityResult no = client.testCompatibility("changes-value", SCHEMA);
        CompatibilityResult yes = client.testCompatibility("changes-value", SCHEMA);
        CompatibilityResult fresh = client.testCompatibility("fresh-value", SCHEMA);

        assertThat(no).isEqualTo(new CompatibilityResult(false, java.util.List.of("READER_FIELD_MISSING_DEFAULT_VALUE: country")));
        assertThat(yes.compatible()).isTrue();
        assertThat(fresh.compatible()).isTrue();
        assertThat(stub.requests().get(0).path()).isEqualTo(BASE + "/compatibility/subjects/changes-value/versions/latest?verbose=true");
    }

    @Test
    void shouldGetAndSetCompatibilityLevels() throws Exception {
        stub.then(200, "{\"compatibilityLevel\":\"BACKWARD\"}")
                .then(200, "{\"compatibility\":\"FULL\"}")
                .then(404, "{\"error_code\":40408,\"message\":\"Subject 'x' does not have subject-level compatibility configured\"}")
                .then(200, "{\"compatibility\":\"NONE\"}");

        assertThat(client.getGlobalCompatibility()).isEqualTo("BACKWARD");
        assertThat(client.setSubjectCompatibility("orders-value", "FULL")).isEqualTo("FULL");
        assertThat(client.getSubjectCompatibility("x")).isEmpty();
        assertThat(client.setGlobalCompatibility("NONE")).isEqualTo("NONE");

        StubRegistry.Request put = stub.requests().get(1);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo(BASE + "/config/orders-value");
        assertThat(new ObjectMapper().readTree(put.body()).get("compatibility").asText()).isEqualTo("FULL");
    }

    @Test
    void shouldEncodeSubjectsAsOnePathSegment() {
        stub.then(200, "{\"id\":1}");

        client.register("odd subject/with?chars", SCHEMA);

        assertThat(stub.requests().get(0).path()).isEqualTo(BASE + "/subjects/odd%20subject%2Fwith%3Fchars/versions");
    }

    @Test
    void shouldValidateSettings() {
        assertThatThrownBy(() -> RegistryClientSettings.of("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be http://host[:port][/path]");
        assertThatThrownBy(() -> RegistryClientSettings.of("http://r:8081").withMaxAttempts(0))
                .hasMessage("schema registry retry attempts must be at least 1, got 0");
    }

    @Test
    void shouldDoubleTheBackoffUpToItsCap() {
        RegistryClientSettings settings = RegistryClientSettings.of("http://r:8081")
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(350));

        assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.backoffAfter(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(settings.backoffAfter(30)).isEqualTo(Duration.ofMillis(350));
    }
}
