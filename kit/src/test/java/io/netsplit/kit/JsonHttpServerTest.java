package io.netsplit.kit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real server on a free loopback port, called with the JDK's HttpClient. */
class JsonHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private JsonHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String start(JsonHttpServer.Builder builder) throws Exception {
        server = builder.build().start();
        return "http://127.0.0.1:" + server.port();
    }

    private static HttpResponse<String> send(String method, String url) throws Exception {
        return send(method, url, BodyPublishers.noBody(), Map.of());
    }

    private static HttpResponse<String> send(String method, String url, HttpRequest.BodyPublisher body,
                                             Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, body);
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static Map<String, Object> echo(Request r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("path", r.path());
        m.put("remainder", r.remainder());
        m.put("query", r.query());
        return m;
    }

    @Test
    void shouldRouteByExactPathLongestPrefixAndMethod() throws Exception {
        String base = start(JsonHttpServer.builder("test-http")
                .get("/status", r -> Response.ok(Map.of("route", "status")))
                .post("/status", r -> Response.json(202, Map.of("route", "status-post")))
                .get("/entities/*", r -> Response.ok(ordered("route", "entities", "key", r.remainder())))
                .get("/entities/special/*", r -> Response.ok(ordered("route", "special", "key", r.remainder())))
                .get("/metrics", r -> Response.prometheus("up 1\n")));

        assertThat(send("GET", base + "/status")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(r.body()).isEqualTo("{\"route\":\"status\"}");
        });
        assertThat(send("POST", base + "/status").statusCode()).isEqualTo(202);
        assertThat(send("GET", base + "/status/").body()).as("a trailing slash is the same path")
                .isEqualTo("{\"route\":\"status\"}");
        assertThat(send("GET", base + "/entities/").body()).as("a prefix route with nothing after it")
                .isEqualTo("{\"route\":\"entities\",\"key\":\"\"}");
        assertThat(send("GET", base + "/entities/a%20b+c%2Fd").body()).as("a path decodes '+' as itself")
                .isEqualTo("{\"route\":\"entities\",\"key\":\"a b+c/d\"}");
        assertThat(send("GET", base + "/entities/%C3%28")).as("a remainder that is not UTF-8").satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"the path is not UTF-8 once decoded\"}");
        });
        assertThat(send("GET", base + "/entities/special/k").body()).contains("\"route\":\"special\"", "\"key\":\"k\"");
        assertThat(send("GET", base + "/metrics")).satisfies(r -> {
            assertThat(r.headers().firstValue("Content-Type")).contains(Response.PROMETHEUS);
            assertThat(r.body()).isEqualTo("up 1\n");
        });
        assertThat(send("HEAD", base + "/status")).as("a GET route answers HEAD, without a body").satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void shouldAnswerUnknownPathsWith404AndWrongMethodsWith405AsOneLineJson() throws Exception {
        String base = start(JsonHttpServer.builder("test-http")
                .get("/status", r -> Response.ok(Map.of()))
                .delete("/status", r -> Response.ok(Map.of()))
                .post("/check", r -> Response.ok(Map.of())));

        HttpResponse<String> unknown = send("GET", base + "/statusfoo?x=%3Cscript%3E");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"no such endpoint; try /status (GET, DELETE), /check (POST)\"}");

        HttpResponse<String> wrong = send("PUT", base + "/check");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).contains("POST");
        assertThat(wrong.body()).isEqualTo("{\"error\":\"/check answers POST\"}");
        assertThat(send("POST", base + "/status").headers().firstValue("Allow")).contains("GET, HEAD, DELETE");
    }

    @Test
    void shouldReadTheBodyWithinTheLimitAndAnswer413BeyondIt() throws Exception {
        String base = start(JsonHttpServer.builder("test-http").maxBodyBytes(16, "test.max.body.bytes")
                .put("/echo", r -> Response.ok(Map.of("body", new String(r.body(), StandardCharsets.UTF_8))))
                .put("/ignore", r -> Response.ok(Map.of("read", false))));

        assertThat(send("PUT", base + "/echo", BodyPublishers.ofString("sixteen bytes..."), Map.of()).body())
                .isEqualTo("{\"body\":\"sixteen bytes...\"}");

        HttpResponse<String> declared = send("PUT", base + "/echo", BodyPublishers.ofString("x".repeat(17)), Map.of());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("{\"error\":\"the body is 17 bytes; the limit is 16 (test.max.body.bytes)\"}");

        // no Content-Length (chunked): refused by what arrives, never read past the limit
        HttpResponse<String> streamed = send("PUT", base + "/echo", BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(new byte[100_000])), Map.of());
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).isEqualTo("{\"error\":\"the body is larger than the limit of 16 bytes (test.max.body.bytes)\"}");

        assertThat(send("PUT", base + "/ignore", BodyPublishers.ofString("y".repeat(100_000)), Map.of()).statusCode())
                .as("a body the handler does not read is not refused").isEqualTo(200);
    }

    @Test
    void shouldDecodeQueryParametersAsAForm() throws Exception {
        String base = start(JsonHttpServer.builder("test-http").get("/q", r -> Response.ok(echo(r))));

        HttpResponse<String> r = send("GET", base + "/q?site=us%2Deast&key=a+b%26c&pending&limit=5&limit=7&&empty=");

        assertThat(Json.mapper().readTree(r.body()).get("query").toString())
                .isEqualTo("{\"site\":\"us-east\",\"key\":\"a b&c\",\"pending\":\"true\",\"limit\":\"7\",\"empty\":\"\"}");
    }

    @Test
    void shouldAnswerAThrownHttpErrorAsItIs() throws Exception {
        String base = start(JsonHttpServer.builder("test-http")
                .fallback((request, failure) -> Response.json(599, Map.of("never", true)))
                .get("/gone", r -> {
                    throw new HttpError(410, Map.of("error", "gone", "since", 3)).withHeader("Retry-After", "9");
                })
                .get("/missing", r -> {
                    throw HttpError.of(404, "no entity 'k'\nat us-east");
                }));

        HttpResponse<String> gone = send("GET", base + "/gone");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.headers().firstValue("Retry-After")).contains("9");
        assertThat(Json.mapper().readTree(gone.body()).path("since").asInt()).isEqualTo(3);
        HttpResponse<String> missing = send("GET", base + "/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no entity 'k'\\nat us-east\"}").doesNotContain("\n");
    }

    @Test
    void shouldAnswerOtherFailuresThroughTheServersFallbackOrTheDefault() throws Exception {
        String base = start(JsonHttpServer.builder("test-http")
                .fallback((request, failure) -> failure instanceof IllegalArgumentException
                        ? Response.json(400, ordered("error", failure.getMessage(), "path", request.path()))
                        : null)
                .get("/bad", r -> {
                    throw new IllegalArgumentException("limit must be a number");
                })
                .get("/broken", r -> {
                    throw new IllegalStateException("store\nclosed");
                })
                .get("/npe", r -> {
                    throw new NullPointerException();
                }));

        HttpResponse<String> bad = send("GET", base + "/bad");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("{\"error\":\"limit must be a number\",\"path\":\"/bad\"}");
        HttpResponse<String> broken = send("GET", base + "/broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).isEqualTo("{\"error\":\"store closed\"}");
        assertThat(send("GET", base + "/npe").body()).isEqualTo("{\"error\":\"java.lang.NullPointerException\"}");
    }

    @Test
    void shouldShapeItsOwnRefusalsWithTheServersErrorBody() throws Exception {
        List<String> counted = new CopyOnWriteArrayList<>();
        String base = start(JsonHttpServer.builder("test-http").maxBodyBytes(4, null)
                .errorBody((status, code, message) -> {
                    counted.add(code);
                    return ordered("error", code, "message", message);
                })
                .put("/e", r -> Response.ok(Map.of("n", r.body().length)))
                .get("/fail", r -> {
                    throw new IllegalStateException("boom");
                }));

        assertThat(send("GET", base + "/nothing").body())
                .isEqualTo("{\"error\":\"not_found\",\"message\":\"no such endpoint; try /e (PUT), /fail (GET)\"}");
        assertThat(send("POST", base + "/e").body()).contains("\"error\":\"method_not_allowed\"");
        assertThat(send("PUT", base + "/e", BodyPublishers.ofString("12345"), Map.of()).body())
                .isEqualTo("{\"error\":\"body_too_large\",\"message\":\"the body is 5 bytes; the limit is 4\"}");
        assertThat(send("GET", base + "/fail").body()).isEqualTo("{\"error\":\"internal_error\",\"message\":\"boom\"}");
        assertThat(counted).containsExactly("not_found", "method_not_allowed", "body_too_large", "internal_error");
    }

    @Test
    void shouldLetTheAuthenticatorRefuseARequestBeforeItIsRouted() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        String base = start(JsonHttpServer.builder("test-http")
                .authenticator(r -> r.path().startsWith("/private/") && !"Bearer s3cret".equals(r.header("Authorization"))
                        ? Optional.of(HttpError.of(401, "missing or wrong bearer token")
                                .withHeader("WWW-Authenticate", "Bearer realm=\"test\""))
                        : Optional.empty())
                .get("/private/*", r -> {
                    handled.add(r.remainder());
                    return Response.ok(Map.of("secret", r.remainder()));
                })
                .get("/health", r -> Response.ok(Map.of("status", "UP"))));

        HttpResponse<String> refused = send("GET", base + "/private/k");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"test\"");
        assertThat(refused.body()).isEqualTo("{\"error\":\"missing or wrong bearer token\"}");
        assertThat(send("DELETE", base + "/private/k").statusCode()).as("refused before the method is checked")
                .isEqualTo(401);
        assertThat(handled).isEmpty();

        assertThat(send("GET", base + "/private/k", BodyPublishers.noBody(), Map.of("Authorization", "Bearer s3cret"))
                .body()).isEqualTo("{\"secret\":\"k\"}");
        assertThat(send("GET", base + "/health").statusCode()).isEqualTo(200);
        assertThat(handled).containsExactly("k");
    }

    @Test
    void shouldRefuseMalformedRoutesAndRoutesGivenTwice() {
        JsonHttpServer.Builder b = JsonHttpServer.builder("test-http").get("/a", r -> Response.ok(1));
        assertThatThrownBy(() -> b.get("/a", r -> Response.ok(2))).hasMessageContaining("routed twice");
        assertThatThrownBy(() -> b.get("a", r -> Response.ok(2))).hasMessageContaining("/exact/path or /prefix/*");
        assertThatThrownBy(() -> b.get("/a*b", r -> Response.ok(2))).hasMessageContaining("/exact/path or /prefix/*");
    }

    @Test
    void shouldStopListeningOnCloseAndCloseIdempotently() throws Exception {
        JsonHttpServer s = JsonHttpServer.builder("test-http").get("/a", r -> Response.ok(1)).build().start();
        String url = "http://127.0.0.1:" + s.port() + "/a";
        assertThat(send("GET", url).body()).isEqualTo("1");
        s.close();
        s.close();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }

    /** Bodies held by handlers count against the budget until answered; past it a request is 503, never read. */
    @Test
    void shouldRefuseBodiesPastTheInFlightBudgetUntilHeldOnesAreAnswered() throws Exception {
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        String base = start(JsonHttpServer.builder("budget").virtualThreads().maxBodyBytes(1000, "t.body")
                .maxInFlightBodyBytes(100, "t.inflight")
                .put("/hold", r -> {
                    r.body();
                    holding.countDown();
                    release.await();
                    return Response.ok(Map.of("held", true));
                })
                .put("/echo", r -> Response.ok(Map.of("bytes", r.body().length))));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> held = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/hold")).PUT(BodyPublishers.ofString("x".repeat(80))).build(),
                HttpResponse.BodyHandlers.ofString());
        holding.await();
        assertThat(server.inFlightBodyBytes()).isEqualTo(80);

        HttpResponse<String> refused = send("PUT", base + "/echo", BodyPublishers.ofString("y".repeat(40)), Map.of());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("t.inflight").doesNotContain("yyy");
        assertThat(send("PUT", base + "/echo", BodyPublishers.ofString("z".repeat(20)), Map.of()).body())
                .contains("\"bytes\":20");

        release.countDown();
        assertThat(held.get().statusCode()).isEqualTo(200);
        HttpResponse<String> after = send("PUT", base + "/echo", BodyPublishers.ofString("y".repeat(90)), Map.of());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(server.inFlightBodyBytes()).isZero();
    }

    /** One body is always admitted, whatever its size within the body limit: a small budget never refuses all. */
    @Test
    void shouldAdmitOneBodyLargerThanTheBudget() throws Exception {
        String base = start(JsonHttpServer.builder("budget-one").maxBodyBytes(1000, null).maxInFlightBodyBytes(10, null)
                .put("/echo", r -> Response.ok(Map.of("bytes", r.body().length))));
        HttpResponse<String> r = send("PUT", base + "/echo", BodyPublishers.ofString("w".repeat(500)), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.inFlightBodyBytes()).isZero();
    }
}
