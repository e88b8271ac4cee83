package io.netsplit.audit.cli;

import io.netsplit.kit.HttpError;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Response;
import io.netsplit.writer.WriteAck;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code conflicts resolve}'s write, through the site-writer's {@code SiteWriterClient}, against a stand-in writer. */
class ResolveWriteTest {

    private static final ConflictResolver.Plan KEEP_WEST = new ConflictResolver.Plan("us-east", "user 9", false,
            Map.of("status", "offline"), List.of("us-east:4", "eu-west:3"));

    @Test
    void shouldPutTheKeptFieldsWithAFreshIdempotencyKey() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (JsonHttpServer writer = JsonHttpServer.builder("test-writer").host("127.0.0.1").port(0)
                .put("/entities/*", r -> {
                    requests.add(r.method() + " " + r.remainder() + " " + r.header("Idempotency-Key") + " "
                            + new String(r.body()));
                    return Response.ok(Map.of("key", r.remainder(), "dot", Map.of("site", "us-east", "counter", 9)));
                })
                .delete("/entities/*", r -> {
                    requests.add(r.method() + " " + r.remainder());
                    return Response.ok(Map.of("key", r.remainder(), "dot", Map.of("site", "us-east", "counter", 10)));
                }).build().start()) {
            String url = "http://127.0.0.1:" + writer.port();

            WriteAck put = ConflictsCommand.Resolve.write(url, KEEP_WEST);
            WriteAck delete = ConflictsCommand.Resolve.write(url, new ConflictResolver.Plan("us-east", "user 9", true,
                    Map.of(), List.of()));

            assertThat(put.status()).isEqualTo(200);
            assertThat(put.dot().toString()).isEqualTo("us-east:9");
            assertThat(delete.dot().toString()).isEqualTo("us-east:10");
            assertThat(requests.get(0)).startsWith("PUT user 9 resolve-").endsWith(" {\"status\":\"offline\"}");
            assertThat(requests.get(1)).isEqualTo("DELETE user 9");
        }
    }

    @Test
    void shouldSayInOneLineThatTheWriterRefused() throws Exception {
        try (JsonHttpServer writer = JsonHttpServer.builder("test-writer").host("127.0.0.1").port(0)
                .put("/entities/*", r -> Response.json(503, Map.of("error", "diverged", "message", "sites diverged")))
                .build().start()) {
            assertThatThrownBy(() -> ConflictsCommand.Resolve.write("http://127.0.0.1:" + writer.port(), KEEP_WEST))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the writer of us-east refused the resolution: HTTP 503 diverged: sites diverged");
        }
    }

    @Test
    void shouldSayInOneLineThatTheWriterIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;

        assertThatThrownBy(() -> ConflictsCommand.Resolve.write(url, KEEP_WEST))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the writer of us-east (" + url + ") is unreachable: ")
                .hasMessageNotContaining("\n");
    }
}
