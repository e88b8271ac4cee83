package io.netsplit.lab.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabException;
import io.netsplit.lab.ManagedProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The lab's control endpoint on loopback, so drills in another JVM can crash and restart the
 * lab's processes:
 * <ul>
 *   <li>{@code GET /processes} — every process: component, site, pid, alive, log;</li>
 *   <li>{@code POST /processes/{component}/{site}/kill|restart} — {@code site} is {@code -} for shared ones.</li>
 * </ul>
 */
public final class ControlServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    private ControlServer(HttpServer server) {
        this.server = server;
    }

    public static ControlServer start(EmbeddedLab lab) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon().name("lab-control").unstarted(r)));
            server.createContext("/processes", ex -> handle(lab, ex));
            server.start();
            return new ControlServer(server);
        } catch (IOException e) {
            throw new LabException("cannot start the lab control endpoint: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
    }

    private static void handle(EmbeddedLab lab, HttpExchange ex) throws IOException {
        try (ex) {
            String[] parts = ex.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            // parts: "", "processes", component, site, action
            if (parts.length == 2 && ex.getRequestMethod().equals("GET")) {
                List<Map<String, Object>> list = lab.processes().stream().map(ControlServer::describe).toList();
                send(ex, 200, list);
            } else if (parts.length == 5 && ex.getRequestMethod().equals("POST")) {
                String component = parts[2];
                String site = parts[3].equals("-") ? null : parts[3];
                switch (parts[4]) {
                    case "kill" -> lab.kill(component, site);
                    case "restart" -> lab.restart(component, site);
                    default -> throw new IllegalArgumentException("unknown action '" + parts[4] + "' (kill, restart)");
                }
                send(ex, 200, describe(lab.process(component, site)));
            } else {
                send(ex, 404, Map.of("error", "unknown request " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath()));
            }
        } catch (LabException | IllegalArgumentException e) {
            send(ex, 400, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
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

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
