package io.netsplit.mirror;

import io.netsplit.lab.LinkDescriptor;
import io.netsplit.mirror.internal.EmbeddedLinkControl;
import io.netsplit.mirror.internal.FaultProxyServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The link contract against the embedded driver (its fault proxies and HTTP control API). */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedLinkControlIT extends LinkControlContract {

    private FaultProxyServer server;

    @Override
    protected LinkControl startDriver(List<LinkDescriptor> links) throws Exception {
        server = FaultProxyServer.start(links, 0);
        return new EmbeddedLinkControl(server.url());
    }

    @Override
    protected void stopDriver() {
        if (server != null) {
            server.close();
        }
    }
}
