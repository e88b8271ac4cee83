package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.Operation;
import io.netsplit.writer.SiteWriterClient;
import io.netsplit.writer.SiteWriterConfig;
import io.netsplit.writer.SiteWriterException;
import io.netsplit.writer.WriteAck;
import io.netsplit.writer.WriteOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer and the Java client against a stub minting side: statuses, headers, auth, no broker. */
class HttpApiTest {

    private final List<WriteCommand> submitted = new CopyOnWriteArrayList<>();
    private volatile WriteOutcome next;
    private volatile Optional<String> refusal = Optional.empty();
    private HttpApi api;
    private ConvergedTable converged;
    private String base;

    private final WriteGateway stub = new WriteGateway() {
        @Override
        public CompletableFuture<WriteOutcome> submit(WriteCommand command) {
            submitted.add(command);
            return CompletableFuture.completedFuture(next);
        }

        @Override
        public MintingPipeline.State state() {
            return MintingPipeline.State.READY;
        }

        @Override
        public String stateReason() {
            return "ready";
        }

        @Override
        public long counter() {
            return 41;
        }
    };

    @BeforeEach
    void start() throws Exception {
        SiteWriterConfig config = new SiteWriterConfig(Map.of(SiteWriterConfig.SITE, "us-east",
                SiteWriterConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", SiteWriterConfig.SCHEMA_REGISTRY_URL,
                "mock://http-api-test", SiteWriterConfig.HTTP_PORT, "0", SiteWriterConfig.AUTH_TOKEN, "t0ken"));
        converged = new ConvergedTable(config);
        api = new HttpApi(config, stub, converged, new WriterMetrics("us-east"), () -> refusal);
        api.start();
        base = "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        api.close();
        converged.close();
    }

    private static WriteReceipt receipt(String key, int status) {
        return new WriteReceipt(key, Operation.UPSERT, new Dot("us-east", 42), 3,
                VersionVector.of("us-east", 42, "eu-west", 7), new Hlc(1_000, 2), 1_000, "req-1", status, null);
    }

    @Test
    void shouldAnswerACommittedWriteWithItsDotVersionAndVector() {
        next = new WriteOutcome.Committed(receipt("user42", 201), false);
        SiteWriterClient client = new SiteWriterClient(base, "t0ken", Duration.ofSeconds(10));
        WriteAck ack = client.put("user42", Map.of("status", "online"), WriteOptions.none().idempotencyKey("req-1").ifMatch("2-abc"));
        assertThat(ack.status()).isEqualTo(201);
        assertThat(ack.dot()).isEqualTo(new Dot("us-east", 42));
        assertThat(ack.version()).isEqualTo(3);
        assertThat(ack.vector()).isEqualTo(VersionVector.of("us-east", 42, "eu-west", 7));
        assertThat(ack.hlc()).isEqualTo(new Hlc(1_000, 2));
        assertThat(ack.etag()).isEqualTo(ETags.of(3, VersionVector.of("us-east", 42, "eu-west", 7)));
        assertThat(submitted).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("user42");
            assertThat(c.op()).isEqualTo(Operation.UPSERT);
            assertThat(c.idempotencyKey()).isEqualTo("req-1");
            assertThat(c.precondition()).isEqualTo(new Precondition.Matches(java.util.List.of("2-abc")));
            assertThat(c.fields()).isEqualTo(Map.of("status", "online"));
        });
    }

    @Test
    void shouldMarkReplaysAndEncodeKeysAsOnePathSegment() throws Exception {
        next = new WriteOutcome.Committed(receipt("a/b c", 200), true);
        SiteWriterClient client = new SiteWriterClient(base, "t0ken", Duration.ofSeconds(10));
        assertThat(client.patch("a/b c", Map.of("x", 1)).replayed()).isTrue();
        assertThat(submitted.get(0).key()).isEqualTo("a/b c");
        assertThat(submitted.get(0).fields()).containsEntry("x", 1L);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/entities/k"))
                .header("Authorization", "Bearer t0ken").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(r.headers().firstValue("ETag"))
                .contains("\"" + ETags.of(3, VersionVector.of("us-east", 42, "eu-west", 7)) + "\"");
    }

    @Test
    void shouldRequireTheBearerTokenOnEntitiesButNotOnHealthOrMetrics() throws Exception {
        next = new WriteOutcome.Committed(receipt("k", 201), false);
        assertThatThrownBy(() -> new SiteWriterClient(base).put("k", Map.of("a", 1)))
                .isInstanceOf(SiteWriterException.Unauthorized.class);
        assertThatThrownBy(() -> new SiteWriterClient(base, "nope", Duration.ofSeconds(5)).get("k"))
                .isInstanceOf(SiteWriterException.Unauthorized.class);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/entities/k"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(submitted).isEmpty();
        SiteWriterClient open = new SiteWriterClient(base);
        assertThat(open.healthy()).isTrue();
        assertThat(open.metrics()).contains("writer_requests_rejected_total").contains("reason=\"unauthorized\"");
    }

    @Test
    void shouldAnswerUnavailableWithRetryAfterAndPreconditionsWith412() {
        SiteWriterClient client = new SiteWriterClient(base, "t0ken", Duration.ofSeconds(10));
        next = WriteOutcome.unavailable("Kafka is unreachable; nothing written");
        assertThatThrownBy(() -> client.delete("k")).isInstanceOfSatisfying(SiteWriterException.Unavailable.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isEqualTo(2);
            assertThat(e.getMessage()).contains("nothing written");
        });
        next = new WriteOutcome.Refused(412, "precondition_failed", "If-Match does not hold", false);
        assertThatThrownBy(() -> client.put("k", Map.of(), WriteOptions.none().ifMatch("9-abc")))
                .isInstanceOf(SiteWriterException.PreconditionFailed.class);
    }

    @Test
    void shouldRefuseInvalidRequestsWithoutSubmittingThemAndAnswer404ForUnknownKeys() {
        SiteWriterClient client = new SiteWriterClient(base, "t0ken", Duration.ofSeconds(10));
        assertThatThrownBy(() -> client.put("k".repeat(300), Map.of("a", 1)))
                .isInstanceOfSatisfying(SiteWriterException.InvalidRequest.class,
                        e -> assertThat(e.error()).isEqualTo("invalid_key"));
        assertThatThrownBy(() -> client.put("k", Map.of("a", List.of(1))))
                .isInstanceOfSatisfying(SiteWriterException.InvalidRequest.class,
                        e -> assertThat(e.error()).isEqualTo("invalid_type"));
        assertThat(submitted).isEmpty();
        assertThat(client.get("absent")).isEmpty();
    }

    @Test
    void shouldRefuseWritesButServeReadsWhileTheAdmissionSaysNo() throws Exception {
        SiteWriterClient client = new SiteWriterClient(base, "t0ken", Duration.ofSeconds(10));
        refusal = Optional.of("site us-east is diverged according to health checker netsplit-health");
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/entities/k"))
                    .header("Authorization", "Bearer t0ken").header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(method.equals("DELETE") ? "" : "{\"a\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).as(method).contains("2");
            assertThat(r.body()).as(method).isEqualTo("{\"error\":\"diverged\",\"message\":"
                    + "\"site us-east is diverged according to health checker netsplit-health\"}");
        }
        assertThat(submitted).isEmpty();
        assertThat(client.get("absent")).isEmpty();
        assertThat(new SiteWriterClient(base).metrics()).contains("reason=\"diverged\"");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"rejectingWrites\":\"site us-east is diverged");

        refusal = Optional.empty();
        next = new WriteOutcome.Committed(receipt("k", 201), false);
        assertThat(client.put("k", Map.of("a", 1)).status()).isEqualTo(201);
        assertThat(submitted).hasSize(1);
    }
}
