package io.netsplit.mirror.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netsplit.kit.HttpError;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Request;
import io.netsplit.kit.Response;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded link driver: one {@link FaultProxy} per link plus a loopback HTTP control API, so
 * drills in any JVM control it through {@code lab.json} as they would Toxiproxy.
 * <ul>
 *   <li>{@code GET /links} — every link's {@link LinkState};</li>
 *   <li>{@code POST /links/{source}/{target}/cut?style=refuse|blackhole}, {@code .../heal},
 *       {@code .../latency?ms=50&jitter=10}, {@code .../bandwidth?kbps=100}, {@code .../clear};</li>
 *   <li>{@code POST /reset} — clears every link.</li>
 * </ul>
 * Run as a process: {@code FaultProxyServer --port P --links links.json}.
 */
public final class FaultProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultProxyServer.class);

    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    private final JsonHttpServer http;

    private FaultProxyServer(List<LinkDescriptor> links, int port) throws IOException {
        for (LinkDescriptor l : links) {
            FaultProxy p = new FaultProxy(l.source(), l.target(), FaultProxy.parseAddress(l.listen()),
                    FaultProxy.parseAddress(l.upstream()));
            proxies.put(l.id(), p);
        }
        for (FaultProxy p : proxies.values()) {
            p.start();
        }
        http = HttpEndpoints.loopback(port, "link-control")
                .fallback(FaultProxyServer::failure)
                .get("/links", r -> Response.ok(proxies.values().stream().map(FaultProxy::state).toList()))
                .post("/reset", r -> reset())
                .post("/links/*", this::control)
                .build().start();
    }

    /** Starts the proxies and the control API ({@code port} 0 = any free port). */
    public static FaultProxyServer start(List<LinkDescriptor> links, int port) throws IOException {
        return new FaultProxyServer(links, port);
    }

    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    @Override
    public void close() {
        http.close();
        proxies.values().forEach(FaultProxy::close);
    }

    private Response reset() throws IOException {
        for (FaultProxy p : proxies.values()) {
            p.clear();
        }
        return Response.ok(Map.of("reset", true));
    }

    /** {@code POST /links/{source}/{target}/{action}}. */
    private Response control(Request request) throws IOException {
        String[] parts = request.remainder().replaceAll("/+$", "").split("/");
        if (parts.length != 3) {
            throw HttpError.of(404, "unknown request " + request.method() + " " + request.path());
        }
        FaultProxy p = proxies.get(parts[0] + "->" + parts[1]);
        if (p == null) {
            throw HttpError.of(404, "no link " + parts[0] + "->" + parts[1] + "; links: " + proxies.keySet());
        }
        Map<String, String> q = request.query();
        switch (parts[2]) {
            case "cut" -> p.cut(CutStyle.parse(q.getOrDefault("style", "refuse")));
            case "heal" -> p.heal();
            case "latency" -> p.latency(longParam(q, "ms"), longParam(q, "jitter"));
            case "bandwidth" -> p.bandwidth(longParam(q, "kbps"));
            case "clear" -> p.clear();
            default -> throw new IllegalArgumentException("unknown action '" + parts[2]
                    + "' (cut, heal, latency, bandwidth, clear)");
        }
        log.info("link {}->{}: {} {}", p.source(), p.target(), parts[2], q);
        return Response.ok(p.state());
    }

    /** A bad parameter or action is the caller's (400); anything else is a 500. */
    private static Response failure(Request request, Exception e) {
        return Response.json(e instanceof IllegalArgumentException ? 400 : 500, Map.of("error", String.valueOf(e.getMessage())));
    }

    private static long longParam(Map<String, String> q, String key) {
        String v = q.getOrDefault(key, "0");
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + key + "': '" + v + "' is not a whole number >= 0");
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path linksFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--links" -> linksFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (--port P --links FILE)");
            }
        }
        if (linksFile == null) {
            throw new IllegalArgumentException("--links FILE is required");
        }
        List<LinkDescriptor> links = Json.MAPPER.readValue(linksFile.toFile(), new TypeReference<>() {
        });
        FaultProxyServer server = start(links, port);
        log.info("embedded link driver: {} links, control API {}", links.size(), server.url());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "link-shutdown"));
        stopped.await();
    }
}
