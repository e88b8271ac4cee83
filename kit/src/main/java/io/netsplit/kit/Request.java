package io.netsplit.kit;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as a {@link JsonHttpServer} handler sees it: method, path, the part of the path after a prefix route,
 * query parameters, headers and the body, read on demand within the server's limit. Used by one thread at a time.
 */
public final class Request {

    /** How much of an unread body is read and dropped before answering, so a client still sending gets the answer. */
    private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;

    private final HttpExchange exchange;
    private final JsonHttpServer server;
    private String rawRemainder = "";
    private Map<String, String> query;
    private byte[] body;
    private long reservedBodyBytes;

    Request(HttpExchange exchange, JsonHttpServer server) {
        this.exchange = exchange;
        this.server = server;
    }

    void matched(String rawRemainder) {
        this.rawRemainder = rawRemainder;
    }

    /** {@code GET}, {@code POST}, ... as sent. */
    public String method() {
        return exchange.getRequestMethod();
    }

    /** The path, percent-decoded (for messages and logs; routes match the raw path). */
    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return exchange.getRequestURI().getRawPath();
    }

    /**
     * What follows a prefix route's prefix ({@code "a b/c"} for {@code /entities/a%20b/c} on {@code /entities/*}),
     * percent-decoded as a path is ({@code +} stays {@code +}); empty on an exact route. A malformed escape or
     * invalid UTF-8 is a 400 {@code invalid_path}.
     */
    public String remainder() {
        return percentDecode(rawRemainder);
    }

    /** {@link #remainder()} as sent, for a service that decodes (and refuses) it in its own terms. */
    public String rawRemainder() {
        return rawRemainder;
    }

    /**
     * The query parameters, decoded as a form is ({@code +} is a space); the last of repeated names wins, and a name
     * without a value ({@code ?pending}) reads as {@code "true"}, so flags can be written bare. A malformed escape is
     * a 400 {@code invalid_query}.
     */
    public Map<String, String> query() {
        if (query == null) {
            query = Collections.unmodifiableMap(parseQuery(exchange.getRequestURI().getRawQuery()));
        }
        return query;
    }

    /** The first value of a request header, or null. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * The body, read at the first call and never past the server's limit: a larger body (by {@code Content-Length},
     * or by what arrives) is a 413 {@code body_too_large}, an unreadable {@code Content-Length} a 400
     * {@code invalid_header}.
     */
    public byte[] body() throws IOException {
        if (body != null) {
            return body;
        }
        int limit = server.maxBodyBytes();
        String length = header("Content-Length");
        long reserve = limit + 1L;
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw server.refusal(400, "invalid_header", "Content-Length is not a number");
            }
            if (declared > limit) {
                throw server.refusal(413, "body_too_large", "the body is " + declared + " bytes; the limit is " + limit
                        + server.bodyLimitSetting());
            }
            reserve = Math.max(0, declared);
        }
        if (reservedBodyBytes == 0 && reserve > 0) {
            server.reserveBody(reserve);
            reservedBodyBytes = reserve;
        }
        byte[] read = exchange.getRequestBody().readNBytes(limit + 1);
        if (read.length > limit) {
            throw server.refusal(413, "body_too_large", "the body is larger than the limit of " + limit + " bytes"
                    + server.bodyLimitSetting());
        }
        body = read;
        return body;
    }

    /** Gives back the body's share of the server's in-flight budget (once the handler is done with it). */
    void releaseBody() {
        if (reservedBodyBytes > 0) {
            server.releaseBody(reservedBodyBytes);
            reservedBodyBytes = 0;
        }
    }

    /** Reads (a bounded part of) what is left of the body, so that a client still sending it receives the answer. */
    void discardUnread() {
        try {
            InputStream in = exchange.getRequestBody();
            long left = MAX_DISCARD_BYTES;
            byte[] buf = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        try {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                q.put(name, eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            throw server.refusal(400, "invalid_query", "the query string has a malformed %-escape");
        }
        return q;
    }

    /** RFC 3986 percent-decoding of a path ('+' stays '+'), strict about escapes and UTF-8. */
    private String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer out = ByteBuffer.allocate(s.getBytes(StandardCharsets.UTF_8).length);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw server.refusal(400, "invalid_path", "the path has a malformed %-escape");
                }
                out.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                out.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        out.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(out).toString();
        } catch (CharacterCodingException e) {
            throw server.refusal(400, "invalid_path", "the path is not UTF-8 once decoded");
        }
    }
}
