package io.netsplit.writer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

/**
 * The HTTP fuzz check must fail on a planted defect. The stand-in writer is the kit's real HTTP server with a
 * {@code /health} that reports a dot counter; its write handler is the defect. (The property itself runs against the
 * real writer in {@link WriterHttpFuzzIT}.)
 */
class WriterHttpFuzzHasTeethTest {

    /** A write handler: (method, body) to a status, and whether it minted a dot. */
    private record Planted(BiFunction<String, String, Integer> status, BiFunction<String, String, Boolean> mints) {
    }

    private static Optional<String> firstViolation(Planted planted) throws Exception {
        AtomicLong counter = new AtomicLong();
        JsonHttpServer.Builder http = JsonHttpServer.builder("planted-writer").host("127.0.0.1").port(0).virtualThreads()
                .get("/health", r -> Response.json(200, Map.of("status", "UP", "dotCounter", counter.get())));
        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            http.route(method, "/entities/*", r -> {
                String body = new String(r.body(), StandardCharsets.UTF_8);
                if (planted.mints().apply(method, body)) {
                    counter.incrementAndGet();
                }
                return Response.json(planted.status().apply(method, body), Map.of("planted", true));
            });
        }
        try (JsonHttpServer server = http.build().start()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port());
            RandomGenerator<HttpFuzz.HttpCase> generator = HttpFuzz.cases().generator(1000);
            Random random = new Random(Long.parseLong(FuzzSeed.SEED));
            for (int i = 0; i < 300; i++) {
                Optional<String> found = HttpFuzz.violation(uri, generator.next(random).value());
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
    }

    @Example
    void theCheckFindsAHandlerThatAnswers500() throws Exception {
        Optional<String> found = firstViolation(new Planted((m, body) -> body.contains("[") ? 500 : 200, (m, body) -> false));
        assertThat(found).hasValueSatisfying(v -> assertThat(v).contains("answered 500"));
    }

    @Example
    void theCheckFindsARefusalThatWrites() throws Exception {
        Optional<String> found = firstViolation(new Planted((m, body) -> body.startsWith("{") ? 200 : 400, (m, body) -> true));
        assertThat(found).hasValueSatisfying(v -> assertThat(v).contains("answered 400 but minted 1"));
    }

    @Example
    void aWellBehavedStandInPassesTheSameCases() throws Exception {
        assertThat(firstViolation(new Planted((m, body) -> body.startsWith("{") ? 200 : 400, (m, body) -> body.startsWith("{"))))
                .isEmpty();
    }
}
