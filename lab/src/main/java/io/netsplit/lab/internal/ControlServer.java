package io.netsplit.lab.internal;

import io.netsplit.kit.HttpError;
import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.Request;
import io.netsplit.kit.Response;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabException;
import io.netsplit.lab.ManagedProcess;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lab's control endpoint on loopback, so drills in another JVM can crash and restart the
 * lab's processes:
 * <ul>
 *   <li>{@code GET /processes} — every process: component, site, pid, alive, log;</li>
 *   <li>{@code POST /processes/{component}/{site}/kill|restart} — {@code site} is {@code -} for shared ones.</li>
 * </ul>
 */
public final class ControlServer {

    private final JsonHttpServer server;

    private ControlServer(JsonHttpServer server) {
        this.server = server;
    }

    public static ControlServer start(EmbeddedLab lab) {
        try {
            // two threads: a restart answers once the process is ready again, which takes a while
            return new ControlServer(JsonHttpServer.builder("lab-control").threads(2)
                    .fallback(ControlServer::failure)
                    .get("/processes", r -> Response.ok(lab.processes().stream().map(ControlServer::describe).toList()))
                    .post("/processes/*", r -> control(lab, r))
                    .build().start());
        } catch (IOException e) {
            throw new LabException("cannot start the lab control endpoint: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public void stop() {
        server.close();
    }

    /** {@code POST /processes/{component}/{site}/kill|restart}. */
    private static Response control(EmbeddedLab lab, Request request) {
        String[] parts = request.remainder().replaceAll("/+$", "").split("/");
        if (parts.length != 3) {
            throw HttpError.of(404, "unknown request " + request.method() + " " + request.path());
        }
        String component = parts[0];
        String site = parts[1].equals("-") ? null : parts[1];
        switch (parts[2]) {
            case "kill" -> lab.kill(component, site);
            case "restart" -> lab.restart(component, site);
            default -> throw new IllegalArgumentException("unknown action '" + parts[2] + "' (kill, restart)");
        }
        return Response.ok(describe(lab.process(component, site)));
    }

    /** A bad component, site or action is the caller's (400); anything else is a 500. */
    private static Response failure(Request request, Exception e) {
        boolean bad = e instanceof LabException || e instanceof IllegalArgumentException;
        return Response.json(bad ? 400 : 500, Map.of("error", String.valueOf(e.getMessage())));
    }

    private static Map<String, Object> describe(ManagedProcess p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("component", p.component());
        m.put("site", p.site());
        m.put("pid", p.pid());
        m.put("alive", p.isAlive());
        m.put("log", p.logFile().toString());
        return m;
    }
}
