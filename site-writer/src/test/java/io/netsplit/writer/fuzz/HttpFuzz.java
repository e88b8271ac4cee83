package io.netsplit.writer.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsplit.kit.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The HTTP fuzz of the site-writer: generated requests (methods, paths, headers, bodies) sent as raw HTTP/1.1 bytes,
 * so that nothing a client library would refuse is left out, and the check the property makes of each answer.
 */
final class HttpFuzz {

    private static final int ANSWER_TIMEOUT_MS = 120_000;

    private HttpFuzz() {
    }

    /** One generated request. */
    record HttpCase(String method, String path, List<String> headers, String body) {
        @Override
        public String toString() {
            return method + " " + clip(path) + " " + headers.stream().map(HttpFuzz::clip).toList() + " body " + clip(body);
        }
    }

    /** A status and a body. */
    record Answer(int status, String body) {
    }

    static Arbitrary<HttpCase> cases() {
        Arbitrary<String> methods = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("PUT", "PATCH", "DELETE", "GET")),
                Tuple.of(1, Arbitraries.of("POST", "HEAD", "OPTIONS", "TRACE", "put", "FOO", "CONNECT")));
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(12).map(HttpFuzz::percentEncode),
                Arbitraries.strings().withChars("\u00e9\u4e16\ud83d\ude00abc").ofMinLength(1).ofMaxLength(6)
                        .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)),
                Arbitraries.of("", "%zz", "%00", "%2F", "..", "a/b", "%20", "k?x=1", "k#f", "%C3%28", "x".repeat(1100)));
        Arbitrary<String> paths = Arbitraries.frequencyOf(Tuple.of(8, keys.map(k -> "/entities/fz-" + k)),
                Tuple.of(1, Arbitraries.of("/health", "/metrics", "/", "/entities", "/entities/", "/nope", "//entities/x",
                        "/entities/../health", "*", "/ENTITIES/x", "/entities/x/y")));
        Arbitrary<String> contentType = Arbitraries.of("Content-Type: application/json", "Content-Type: application/json; charset=utf-8",
                "Content-Type: APPLICATION/JSON", "Content-Type: text/plain", "Content-Type: application/json; charset=latin1",
                "Content-Type: ", "Content-Type: \u0001garbage", "Content-Type: application/jsonx");
        Arbitrary<String> ifMatch = Arbitraries.of("If-Match: \"1\"", "If-Match: *", "If-Match: abc", "If-Match: \"-1\"",
                "If-Match: W/\"1\"", "If-Match: \"99999999999999999999\"", "If-Match: 1", "If-Match: ");
        Arbitrary<String> idempotency = Arbitraries.oneOf(Arbitraries.of("idem-1", "idem-2", "", " ", "\u0007bell", "k\u00e9y")
                        .map(v -> "Idempotency-Key: " + v),
                Arbitraries.strings().all().ofMaxLength(300).map(v -> "Idempotency-Key: " + headerSafe(v)));
        Arbitrary<String> garbage = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(n -> "X-" + n + ": junk"),
                Arbitraries.of("Authorization: Bearer nope", "Transfer-Encoding: gzip", "Expect: 100-continue",
                        "X-Big: " + "b".repeat(9000), ": no name", "NoColon", "Accept: */*"));
        Arbitrary<String> header = Arbitraries.frequencyOf(Tuple.of(5, contentType), Tuple.of(2, ifMatch), Tuple.of(2, idempotency),
                Tuple.of(1, garbage));
        Arbitrary<List<String>> headers = Arbitraries.frequencyOf(
                Tuple.of(3, header.list().ofMaxSize(4).map(l -> prepend("Content-Type: application/json", l))),
                Tuple.of(1, header.list().ofMaxSize(4)));
        return Combinators.combine(methods, paths, headers, bodies()).as(HttpCase::new);
    }

    private static Arbitrary<String> bodies() {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20).map(HttpFuzz::jsonString),
                Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "1e999", "-0", "123456789012345678901234567890", "\"\\ud800\"", "\"\\u0000\""));
        Arbitrary<String> field = Combinators.combine(Arbitraries.strings().all().ofMaxLength(10).map(HttpFuzz::jsonString), scalar)
                .as((k, v) -> k + ":" + v);
        Arbitrary<String> object = field.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> nested = Combinators.combine(Arbitraries.integers().between(1, 300), Arbitraries.of("[", "{\"a\":"))
                .as((depth, open) -> "{\"deep\":" + open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth) + "}");
        return Arbitraries.frequencyOf(Tuple.of(10, object),
                Tuple.of(2, nested),
                Tuple.of(2, object.map(o -> o.substring(0, o.length() / 2))),
                Tuple.of(2, Arbitraries.of("", "[]", "[1,2]", "\"text\"", "42", "null", "{", "}", "{\"a\":1,}", "{'a':1}",
                        "{\"a\":1}{\"b\":2}", "{\"a\":1,\"a\":2}", "\u00ef\u00bb\u00bf{}", "{\"a\":NaN}")),
                Tuple.of(1, Arbitraries.integers().between(1, 400).map(kb -> "{\"big\":\"" + "z".repeat(kb * 1024) + "\"}")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(50)));
    }

    /**
     * The property's check of one request: the answer is 2xx, 4xx or 503; a request not answered 2xx wrote nothing
     * (the writer's dot counter, on {@code /health}, did not move) unless it is a 503 saying its outcome is unknown,
     * a request answered 2xx minted at most one dot; and the
     * writer still answers {@code /health} 200 afterwards.
     *
     * @return what was wrong, if anything
     */
    static Optional<String> violation(URI writer, HttpCase c) throws IOException {
        long before = dotCounter(writer).orElse(-1L);
        if (before < 0) {
            return Optional.of("the writer was not healthy before " + c);
        }
        Answer a = send(writer, c.method(), c.path(), c.headers(), c.body());
        int s = a.status();
        boolean allowed = (s >= 200 && s < 300) || (s >= 400 && s < 500) || s == 503;
        Optional<Long> after = dotCounter(writer);
        if (!allowed) {
            return Optional.of(c + " answered " + s + " " + clip(a.body()));
        }
        if (after.isEmpty()) {
            return Optional.of("the writer no longer answers /health 200 after " + c);
        }
        long minted = after.get() - before;
        // a 503 that says the outcome is unknown (no answer from Kafka in time) may have written: README, Reliability
        boolean unknown = s == 503 && a.body().contains("may or may not be stored");
        if (s >= 300 && minted != 0 && !unknown) {
            return Optional.of(c + " answered " + s + " but minted " + minted + " dot(s)");
        }
        return minted > 1 ? Optional.of(c + " minted " + minted + " dots") : Optional.empty();
    }

    /** The writer's dot counter, when it answers {@code /health} 200. */
    static Optional<Long> dotCounter(URI writer) throws IOException {
        Answer h = send(writer, "GET", "/health", List.of(), "");
        if (h.status() != 200) {
            return Optional.empty();
        }
        JsonNode node = Json.mapper().readTree(h.body());
        return Optional.of(node.path("dotCounter").asLong());
    }

    /** One request on its own connection ({@code Connection: close}); the answer's status and body. */
    static Answer send(URI base, String method, String path, List<String> headers, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), ANSWER_TIMEOUT_MS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            try {
                out.write(payload);
                out.flush();
            } catch (IOException refusedEarly) {
                // the server may answer (413, 400) and close before reading the whole body: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                in.transferTo(answer);
            } catch (java.net.SocketException reset) {
                // a server that closes with part of the request unread resets the connection after its answer:
                // the answer read so far counts; none at all is reported below
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) { // an interim answer (100 Continue)
                text = text.substring(text.indexOf("\r\n\r\n") + 4);
            }
            if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return new Answer(-1, "not an HTTP answer: '" + clip(text) + "'");
            }
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), split < 0 ? "" : text.substring(split + 4));
        }
    }

    private static List<String> prepend(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    private static String percentEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append('%').append(String.format("%02X", x & 0xff));
        }
        return b.toString();
    }

    private static String headerSafe(String v) {
        return v.replace('\r', ' ').replace('\n', ' ');
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.chars().forEach(ch -> {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append((char) ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", ch));
            } else {
                b.append((char) ch);
            }
        });
        return b.append('"').toString();
    }

    private static String clip(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + " chars)" : s;
        StringBuilder b = new StringBuilder();
        t.codePoints().forEach(cp -> b.append(cp < 0x20 || cp > 0x7e ? String.format("\\u{%x}", cp) : Character.toString(cp)));
        return b.toString();
    }
}
