package io.netsplit.mirror;

import io.netsplit.lab.LinkDescriptor;
import io.netsplit.mirror.internal.HttpEndpoints;
import io.netsplit.mirror.internal.ToxiproxyLinkControl;
import io.netsplit.mirror.internal.ToxiproxyServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The link contract against a real {@code toxiproxy-server}. Without the binary it is skipped
 * with the reason, except in CI ({@code CI=true}), where a missing Toxiproxy fails the build.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ToxiproxyLinkControlIT extends LinkControlContract {

    private Process server;

    @Override
    protected LinkControl startDriver(List<LinkDescriptor> links) throws Exception {
        Optional<Path> binary = ToxiproxyServerProcess.findBinary();
        if (binary.isEmpty()) {
            String reason = "no toxiproxy-server on the PATH (or $" + ToxiproxyServerProcess.BINARY_ENV
                    + "); install it with mirror/install-toxiproxy.sh";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: the Toxiproxy driver must be tested, but " + reason);
            }
            Assumptions.abort(reason);
        }
        int port = freePort();
        List<String> proxies = new ArrayList<>();
        for (LinkDescriptor l : links) {
            proxies.add("{\"name\":\"" + ToxiproxyLinkControl.proxyName(l.source(), l.target()) + "\",\"listen\":\""
                    + l.listen() + "\",\"upstream\":\"" + l.upstream() + "\",\"enabled\":true}");
        }
        Path config = Files.createTempFile("toxiproxy", ".json");
        Files.writeString(config, "[" + String.join(",", proxies) + "]");
        Path log = Path.of("target", "toxiproxy-contract.log");
        Files.createDirectories(log.getParent());
        server = new ProcessBuilder(binary.get().toString(), "-host", "127.0.0.1", "-port", Integer.toString(port),
                "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String url = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(20)).until(() -> HttpEndpoints.ok(url + "/proxies"));
        return new ToxiproxyLinkControl(url, links);
    }

    @Override
    protected void stopDriver() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
