package io.netsplit.kit;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link JsonHttpServer} handler answers: a status and either a value written as one line of JSON with
 * {@link Json#mapper()}, or text with its own content type (Prometheus {@code /metrics}, CSV exports), plus headers.
 * Immutable.
 */
public final class Response {

    /** The content type of every JSON answer. */
    public static final String JSON = "application/json";
    /** The Prometheus text exposition format every {@code /metrics} endpoint answers with. */
    public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final int status;
    private final Object json;
    private final byte[] text;
    private final String contentType;
    private final Map<String, String> headers;

    private Response(int status, Object json, byte[] text, String contentType, Map<String, String> headers) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
        this.json = json;
        this.text = text;
        this.contentType = contentType;
        this.headers = headers;
    }

    /** {@code status} with {@code body} (a map, list, record, ... or null) written as JSON. */
    public static Response json(int status, Object body) {
        return new Response(status, body, null, JSON, Map.of());
    }

    /** 200 with {@code body} written as JSON. */
    public static Response ok(Object body) {
        return json(200, body);
    }

    /** {@code status} with {@code text} as UTF-8 under {@code contentType}. */
    public static Response text(int status, String contentType, String text) {
        return new Response(status, null, text.getBytes(StandardCharsets.UTF_8), Objects.requireNonNull(contentType),
                Map.of());
    }

    /** 200 with a Prometheus scrape. */
    public static Response prometheus(String scrape) {
        return text(200, PROMETHEUS, scrape);
    }

    /** The same answer with one more header (set, not added: a second call with the same name replaces it). */
    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new Response(status, json, text, contentType, Collections.unmodifiableMap(h));
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Headers besides {@code Content-Type}, in the order they were given. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The JSON value, or the text of a text answer. */
    public Object body() {
        return text != null ? new String(text, StandardCharsets.UTF_8) : json;
    }

    /** The bytes on the wire. */
    byte[] bytes() throws JsonProcessingException {
        return text != null ? text : Json.mapper().writeValueAsBytes(json);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + contentType;
    }
}
