package io.netsplit.kit;

import java.util.Map;

/**
 * A refusal a handler (or an {@link Authenticator}) throws: {@link JsonHttpServer} answers with exactly this status,
 * JSON body and headers, without going through the server's fallback. Carries no stack trace: it is an answer, not
 * a fault.
 */
public final class HttpError extends RuntimeException {

    private final transient Response response;

    /** Answers {@code status} with {@code body} written as JSON. */
    public HttpError(int status, Object body) {
        this(Response.json(status, body));
    }

    private HttpError(Response response) {
        super("HTTP " + response.status(), null, false, false);
        this.response = response;
    }

    /** Answers {@code status} with {@code {"error": message}}, the error shape most of the services use. */
    public static HttpError of(int status, String message) {
        return new HttpError(status, Map.of("error", String.valueOf(message)));
    }

    /** The same refusal with one more response header (e.g. {@code WWW-Authenticate} on a 401). */
    public HttpError withHeader(String name, String value) {
        return new HttpError(response.withHeader(name, value));
    }

    public int status() {
        return response.status();
    }

    /** What the server sends. */
    public Response response() {
        return response;
    }
}
