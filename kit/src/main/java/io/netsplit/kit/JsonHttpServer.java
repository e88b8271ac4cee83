package io.netsplit.kit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The one HTTP endpoint helper of the services: the JDK's {@code com.sun.net.httpserver} (no dependency, ships with
 * every JDK) with JSON answers, routes by method and path, one-line JSON errors and a bounded request body.
 * <p>
 * A request goes through, in order: the {@link Authenticator} (default: allow all); the route, by exact path
 * (trailing slashes aside: {@code /status/} is {@code /status}), else the longest prefix route ({@code /entities/*});
 * the method (a GET route answers HEAD too, without a body). Then the handler returns a {@link Response}, or throws an
 * {@link HttpError}, answered as it is, or any other exception, answered by the server's {@link Fallback}. The
 * server's own refusals — 404 {@code not_found}, 405 {@code method_not_allowed} (with {@code Allow}), 413
 * {@code body_too_large} and 400 {@code invalid_header}/{@code invalid_path}/{@code invalid_query} — are shaped by
 * its {@link ErrorBody} (default {@code {"error": message}}), so each service keeps its own error shape; their
 * messages never quote the request.
 * <pre>{@code
 * JsonHttpServer http = JsonHttpServer.builder("health-http").host(host).port(port).threads(4)
 *         .get("/health", request -> Response.ok(checker.current()))
 *         .post("/check", request -> Response.ok(checker.checkNow()))
 *         .get("/metrics", request -> Response.prometheus(checker.prometheus()))
 *         .build().start();
 * }</pre>
 */
public final class JsonHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JsonHttpServer.class);

    /** Answers one routed request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    /**
     * Answers a request whose handler (or authenticator) failed with anything but an {@link HttpError}: returns the
     * answer, or null for the server's default (logged at WARN, 500 {@code internal_error} through the
     * {@link ErrorBody}). The answer is JSON, so it is one line whatever the message holds.
     */
    @FunctionalInterface
    public interface Fallback {
        Response answer(Request request, Exception failure);
    }

    /**
     * The body of the server's own refusals, from the status, a stable code ({@code not_found},
     * {@code method_not_allowed}, {@code body_too_large}, {@code invalid_header}, {@code invalid_path},
     * {@code invalid_query}, {@code internal_error}) and a one-line message. Called once per refusal, so a service
     * may count them too.
     */
    @FunctionalInterface
    public interface ErrorBody {
        Object body(int status, String code, String message);
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Map<String, Handler>> routes;
    private final Authenticator authenticator;
    private final Fallback fallback;
    private final ErrorBody errorBody;
    private final int maxBodyBytes;
    private final String bodyLimitSetting;
    private final long maxInFlightBodyBytes;
    private final String inFlightLimitSetting;
    private final java.util.concurrent.atomic.AtomicLong inFlightBodyBytes = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private JsonHttpServer(Builder b) throws IOException {
        this.name = b.name;
        this.routes = copy(b.routes);
        this.authenticator = b.authenticator;
        this.fallback = b.fallback;
        this.errorBody = b.errorBody;
        this.maxBodyBytes = b.maxBodyBytes;
        this.bodyLimitSetting = b.bodyLimitSetting == null ? "" : " (" + b.bodyLimitSetting + ")";
        this.maxInFlightBodyBytes = b.maxInFlightBodyBytes;
        this.inFlightLimitSetting = b.inFlightLimitSetting == null ? "" : " (" + b.inFlightLimitSetting + ")";
        InetAddress address = b.host == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(b.host);
        this.server = HttpServer.create(new InetSocketAddress(address, b.port), b.backlog);
        this.executor = b.virtualThreads
                ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(b.name + "-", 0).factory())
                : Executors.newFixedThreadPool(b.threads, Thread.ofPlatform().daemon().name(b.name + "-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    /**
     * Limits the JDK's HTTP server takes only JVM-wide, from system properties read when the first server of the
     * process is created: the time a client has to send a whole request, headers and body (in whole seconds,
     * rounded up; a slower client's connection is closed without an answer) and the most open connections (one past
     * it is closed when accepted). A service's main calls this before it starts its server; a property already set
     * with {@code -D} is left as it is.
     */
    public static void processLimits(java.time.Duration requestReadTimeout, int maxConnections) {
        long seconds = Math.max(1, (requestReadTimeout.toMillis() + 999) / 1000);
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(seconds));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** A server whose threads are named {@code name-N}; see {@link Builder} for the defaults. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts answering requests (the port is bound already). */
    public JsonHttpServer start() {
        server.start();
        return this;
    }

    /** The port bound (the one picked, for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once: open exchanges are dropped, the threads end. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    String bodyLimitSetting() {
        return bodyLimitSetting;
    }

    /**
     * Reserves {@code bytes} of the in-flight body budget for a body about to be read, or refuses with 503
     * {@code overloaded} (and {@code Retry-After: 1}) when the bodies being read and handled already hold it.
     */
    void reserveBody(long bytes) {
        long after = inFlightBodyBytes.addAndGet(bytes);
        if (after > maxInFlightBodyBytes && after != bytes) {
            inFlightBodyBytes.addAndGet(-bytes);
            throw refusal(503, "overloaded", "the server is busy with other requests' bodies (in-flight limit "
                    + maxInFlightBodyBytes + " bytes" + inFlightLimitSetting + "); retry later")
                    .withHeader("Retry-After", "1");
        }
    }

    /** Gives back a reservation of {@link #reserveBody(long)}. */
    void releaseBody(long bytes) {
        inFlightBodyBytes.addAndGet(-bytes);
    }

    /** The bytes of request bodies being read or handled right now (a gauge for metrics). */
    public long inFlightBodyBytes() {
        return inFlightBodyBytes.get();
    }

    /** One of the server's own refusals, in the service's error shape. */
    HttpError refusal(int status, String code, String message) {
        return new HttpError(status, errorBody.body(status, code, message));
    }

    private void exchange(HttpExchange ex) {
        Request request = new Request(ex, this);
        Response response;
        try {
            response = dispatch(request);
        } catch (HttpError e) {
            response = e.response();
        } catch (Exception e) {
            response = failed(request, e);
        }
        // the handler is done with the body: give its share back before the client can see the answer
        request.releaseBody();
        send(ex, request, response);
    }

    private Response dispatch(Request request) throws Exception {
        Optional<HttpError> refused = authenticator.refusal(request);
        if (refused.isPresent()) {
            return refused.get().response();
        }
        String path = request.rawPath();
        String pattern = route(path);
        if (pattern == null) {
            throw refusal(404, "not_found", "no such endpoint; try " + routes.entrySet().stream()
                    .map(e -> e.getKey() + " (" + String.join(", ", e.getValue().keySet()) + ")")
                    .collect(Collectors.joining(", ")));
        }
        Map<String, Handler> byMethod = routes.get(pattern);
        Handler handler = byMethod.get(request.method());
        if (handler == null && request.method().equals("HEAD")) {
            handler = byMethod.get("GET");
        }
        if (handler == null) {
            List<String> allowed = new ArrayList<>(byMethod.keySet());
            if (allowed.contains("GET") && !allowed.contains("HEAD")) {
                allowed.add(allowed.indexOf("GET") + 1, "HEAD");
            }
            throw refusal(405, "method_not_allowed", pattern + " answers " + String.join(", ", byMethod.keySet()))
                    .withHeader("Allow", String.join(", ", allowed));
        }
        if (pattern.endsWith("/*")) {
            request.matched(path.substring(pattern.length() - 1));
        }
        return Objects.requireNonNull(handler.handle(request), "the handler of " + pattern + " answered null");
    }

    /** The pattern serving {@code path}: exact (trailing slashes aside), else the longest prefix; null if none. */
    private String route(String path) {
        String trimmed = path.replaceAll("(?<=.)/+$", "");
        if (routes.containsKey(trimmed) && !trimmed.endsWith("/*")) {
            return trimmed;
        }
        String best = null;
        for (String pattern : routes.keySet()) {
            if (pattern.endsWith("/*") && path.startsWith(pattern.substring(0, pattern.length() - 1))
                    && (best == null || pattern.length() > best.length())) {
                best = pattern;
            }
        }
        return best;
    }

    private Response failed(Request request, Exception failure) {
        try {
            Response answer = fallback.answer(request, failure);
            if (answer != null) {
                return answer;
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        log.warn("{}: {} {} failed: {}", name, request.method(), request.path(), failure.toString());
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return refusal(500, "internal_error", message.replace('\n', ' ').replace('\r', ' ')).response();
    }

    private void send(HttpExchange ex, Request request, Response response) {
        try (ex) {
            byte[] bytes;
            try {
                bytes = response.bytes();
            } catch (IOException e) {
                response = failed(request, e);
                bytes = response.bytes();
            }
            request.discardUnread();
            Headers headers = ex.getResponseHeaders();
            headers.set("Content-Type", response.contentType());
            response.headers().forEach(headers::set);
            if (bytes.length == 0 || request.method().equals("HEAD")) {
                ex.sendResponseHeaders(response.status(), -1);
            } else {
                ex.sendResponseHeaders(response.status(), bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the fallback's own answer could not be written
            log.debug("{}: answering {} {} failed: {}", name, request.method(), request.path(), e.toString());
        }
    }

    private static Map<String, Map<String, Handler>> copy(Map<String, Map<String, Handler>> routes) {
        Map<String, Map<String, Handler>> out = new LinkedHashMap<>();
        routes.forEach((pattern, byMethod) -> out.put(pattern, Collections.unmodifiableMap(new LinkedHashMap<>(byMethod))));
        return Collections.unmodifiableMap(out);
    }

    /**
     * How to build a server. Defaults: loopback, port 0 (a free one), 4 daemon platform threads, the system's
     * accept backlog, a 1 MiB body limit, no limit on the bodies in flight together, {@link Authenticator#ALLOW_ALL},
     * errors as {@code {"error": message}}.
     */
    public static final class Builder {

        private final String name;
        private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();
        private String host;
        private int port;
        private int threads = 4;
        private boolean virtualThreads;
        private int backlog;
        private int maxBodyBytes = 1024 * 1024;
        private String bodyLimitSetting;
        private long maxInFlightBodyBytes = Long.MAX_VALUE;
        private String inFlightLimitSetting;
        private Authenticator authenticator = Authenticator.ALLOW_ALL;
        private Fallback fallback = (request, failure) -> null;
        private ErrorBody errorBody = (status, code, message) -> Map.of("error", message);

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a server needs a name for its threads and logs");
            }
            this.name = name;
        }

        /** The address to bind ({@code 0.0.0.0} for all); null = loopback. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; 0 picks a free one ({@link JsonHttpServer#port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /** A fixed pool of daemon platform threads. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            this.virtualThreads = false;
            return this;
        }

        /** A virtual thread per request, for handlers that block (waiting for a Kafka commit) under load. */
        public Builder virtualThreads() {
            this.virtualThreads = true;
            return this;
        }

        /** The accept backlog; 0 = the system's default. */
        public Builder backlog(int backlog) {
            this.backlog = Math.max(0, backlog);
            return this;
        }

        /** The largest body {@link Request#body()} reads; {@code setting}, if not null, is named in the 413. */
        public Builder maxBodyBytes(int bytes, String setting) {
            if (bytes < 0 || bytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a body limit must be between 0 and " + (Integer.MAX_VALUE - 1));
            }
            this.maxBodyBytes = bytes;
            this.bodyLimitSetting = setting;
            return this;
        }

        /**
         * The most bytes of request bodies read and held at once, over all requests: a body is counted from before it
         * is read (its {@code Content-Length}, or the body limit when it has none) until its handler returns, and a
         * request whose body would go past the budget is answered 503 {@code overloaded} without being read
         * (one body is always admitted, so a budget below the body limit does not refuse everything).
         * {@code setting}, if not null, is named in the 503. Bounds a server's memory under many concurrent writes.
         */
        public Builder maxInFlightBodyBytes(long bytes, String setting) {
            if (bytes < 1) {
                throw new IllegalArgumentException("an in-flight body budget must be positive, got " + bytes);
            }
            this.maxInFlightBodyBytes = bytes;
            this.inFlightLimitSetting = setting;
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator);
            return this;
        }

        public Builder fallback(Fallback fallback) {
            this.fallback = Objects.requireNonNull(fallback);
            return this;
        }

        public Builder errorBody(ErrorBody errorBody) {
            this.errorBody = Objects.requireNonNull(errorBody);
            return this;
        }

        public Builder get(String path, Handler handler) {
            return route("GET", path, handler);
        }

        public Builder post(String path, Handler handler) {
            return route("POST", path, handler);
        }

        public Builder put(String path, Handler handler) {
            return route("PUT", path, handler);
        }

        public Builder patch(String path, Handler handler) {
            return route("PATCH", path, handler);
        }

        public Builder delete(String path, Handler handler) {
            return route("DELETE", path, handler);
        }

        /**
         * Routes {@code method} on {@code path}: an exact path ({@code /status}) or a prefix ending in {@code /*}
         * ({@code /entities/*}, whose handler reads the rest from {@link Request#remainder()}).
         */
        public Builder route(String method, String path, Handler handler) {
            if (path == null || !path.startsWith("/") || path.indexOf('*') >= 0 && !path.endsWith("/*")
                    || path.indexOf('*') != path.lastIndexOf('*')) {
                throw new IllegalArgumentException("a route is /exact/path or /prefix/*, got " + path);
            }
            Handler previous = routes.computeIfAbsent(path, p -> new LinkedHashMap<>())
                    .putIfAbsent(Objects.requireNonNull(method), Objects.requireNonNull(handler));
            if (previous != null) {
                throw new IllegalArgumentException(method + " " + path + " is routed twice");
            }
            return this;
        }

        /** Binds the port (so a busy port fails here); {@link JsonHttpServer#start()} starts answering. */
        public JsonHttpServer build() throws IOException {
            return new JsonHttpServer(this);
        }
    }
}
