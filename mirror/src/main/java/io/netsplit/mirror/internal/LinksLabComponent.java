package io.netsplit.mirror.internal;

import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.LabException;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.mirror.LinkControls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lab component {@code links} (start order 10): one proxy per ordered site pair, listening at the
 * link's {@code listen} address and forwarding to the source broker's {@code WAN_<TARGET>}
 * listener. Driver per {@code lab.link.driver}: {@code toxiproxy} (a real {@code toxiproxy-server},
 * child of a small JVM the lab owns), {@code embedded} ({@link FaultProxyServer} in its own JVM) or
 * {@code auto} (Toxiproxy when its binary is found, see {@link ToxiproxyServerProcess#findBinary()}).
 * Registers {@code linkControl.driver} and {@code linkControl.url} in {@code lab.json}.
 */
public final class LinksLabComponent implements LabComponent {

    private static final Logger log = LoggerFactory.getLogger(LinksLabComponent.class);
    private static final List<String> SMALL_JVM = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-Xss512k");

    @Override
    public String name() {
        return "links";
    }

    @Override
    public int startOrder() {
        return 10;
    }

    /** Needs only the brokers: starts with the other site services. */
    @Override
    public Set<String> startsAfter() {
        return Set.of(BROKER);
    }

    @Override
    public void start(LabContext context) throws Exception {
        List<LinkDescriptor> links = context.links();
        if (links.isEmpty()) {
            return;
        }
        Path dir = context.runDir().resolve("links");
        Files.createDirectories(dir);
        int port = context.freePort();
        String url = "http://127.0.0.1:" + port;
        String driver = chooseDriver(context.config().linkDriver());
        if (driver.equals(LinkControls.TOXIPROXY)) {
            Path binary = ToxiproxyServerProcess.findBinary().orElseThrow();
            List<Map<String, Object>> proxies = new ArrayList<>();
            for (LinkDescriptor l : links) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", ToxiproxyLinkControl.proxyName(l.source(), l.target()));
                p.put("listen", l.listen());
                p.put("upstream", l.upstream());
                p.put("enabled", true);
                proxies.add(p);
            }
            Path config = dir.resolve("toxiproxy.json");
            Json.MAPPER.writeValue(config.toFile(), proxies);
            context.launchJava(name(), null, SMALL_JVM, ToxiproxyServerProcess.class.getName(),
                    List.of(binary.toString(), "-host", "127.0.0.1", "-port", Integer.toString(port),
                            "-config", config.toString()),
                    () -> toxiproxyReady(url, links));
        } else {
            Path file = dir.resolve("links.json");
            Json.MAPPER.writeValue(file.toFile(), links);
            context.launchJava(name(), null, SMALL_JVM, FaultProxyServer.class.getName(),
                    List.of("--port", Integer.toString(port), "--links", file.toString()),
                    () -> HttpEndpoints.ok(url + "/links"));
        }
        context.putLinkControl(LinkControls.DRIVER, driver);
        context.putLinkControl(LinkControls.URL, url);
        log.info("links: {} driver, {} links, control {}", driver, links.size(), url);
    }

    /** {@code auto} resolves to Toxiproxy when a toxiproxy-server binary is found, else embedded. */
    static String chooseDriver(String configured) {
        Optional<Path> binary = ToxiproxyServerProcess.findBinary();
        return switch (configured) {
            case "toxiproxy" -> {
                if (binary.isEmpty()) {
                    throw new LabException("lab.link.driver=toxiproxy but no toxiproxy-server was found (set "
                            + ToxiproxyServerProcess.BINARY_ENV + " or put it on the PATH: mirror/install-toxiproxy.sh)");
                }
                yield LinkControls.TOXIPROXY;
            }
            case "embedded" -> LinkControls.EMBEDDED;
            default -> binary.isPresent() ? LinkControls.TOXIPROXY : LinkControls.EMBEDDED;
        };
    }

    private static boolean toxiproxyReady(String url, List<LinkDescriptor> links) throws Exception {
        var r = HttpEndpoints.get(url + "/proxies", Duration.ofSeconds(2));
        if (r.statusCode() != 200) {
            return false;
        }
        var root = Json.MAPPER.readTree(r.body());
        for (LinkDescriptor l : links) {
            if (!root.has(ToxiproxyLinkControl.proxyName(l.source(), l.target()))) {
                return false;
            }
        }
        return true;
    }
}
