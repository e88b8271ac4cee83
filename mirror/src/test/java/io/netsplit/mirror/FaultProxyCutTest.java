package io.netsplit.mirror;

import io.netsplit.mirror.internal.FaultProxy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refuse-cut of the embedded link leaves no connection through it, also one the proxy accepted
 * while the cut was being made (a MirrorMaker client reconnecting at that moment kept replicating
 * through a "cut" link before the accept loop and the cut shared a lock).
 */
class FaultProxyCutTest {

    @Test
    void shouldLeaveNoConnectionOpenThroughARefuseCutMadeWhileClientsConnect() throws Exception {
        List<Socket> upstreamSide = new CopyOnWriteArrayList<>();
        List<Socket> clients = new CopyOnWriteArrayList<>();
        AtomicBoolean connecting = new AtomicBoolean(true);
        try (ServerSocket upstream = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!upstream.isClosed()) {
                    try {
                        upstreamSide.add(upstream.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), LinkControlContract.freePort());
            try (FaultProxy proxy = new FaultProxy("a", "b", listen, (InetSocketAddress) upstream.getLocalSocketAddress())) {
                proxy.start();
                // Given clients connecting through the link, one after another, as fast as they can
                Thread connector = Thread.ofPlatform().daemon().start(() -> {
                    while (connecting.get()) {
                        try {
                            Socket c = new Socket();
                            c.connect(listen, 1000);
                            clients.add(c);
                        } catch (IOException refused) {
                            // the cut is there
                        }
                    }
                });
                while (clients.size() < 50) {
                    Thread.onSpinWait();
                }
                // When the link is cut in the middle of that
                proxy.cut(CutStyle.REFUSE);
                connecting.set(false);
                connector.join();

                // Then nothing is proxied any more, and every client connection is gone
                assertThat(proxy.connectionCount()).isZero();
                for (Socket c : clients) {
                    c.setSoTimeout(10_000);
                    try (InputStream in = c.getInputStream()) {
                        assertThat(in.read()).as("a client connection still open through the cut link").isEqualTo(-1);
                    } catch (SocketTimeoutException stillOpen) {
                        throw new AssertionError("a client connection is still open through the cut link", stillOpen);
                    } catch (IOException reset) {
                        // reset by the cut: what a partition does
                    }
                }
            } finally {
                for (Socket s : upstreamSide) {
                    s.close();
                }
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void shouldKeepItsPortWhileRefusingSoNoOtherListenerAnswersInItsPlace() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), LinkControlContract.freePort());
            try (FaultProxy proxy = new FaultProxy("a", "b", listen, (InetSocketAddress) upstream.getLocalSocketAddress())) {
                proxy.start();
                proxy.cut(CutStyle.REFUSE);

                // Then another process's listener (SO_REUSEADDR, as Java's default) cannot take the port
                try (ServerSocket intruder = new ServerSocket()) {
                    intruder.setReuseAddress(true);
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> intruder.bind(listen))
                            .isInstanceOf(java.net.BindException.class);
                }
                // and a client is refused
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket().connect(listen, 1000))
                        .isInstanceOf(java.net.ConnectException.class);

                // and after the heal the link listens on it again
                proxy.heal();
                try (Socket c = new Socket()) {
                    c.connect(listen, 3000);
                    assertThat(c.isConnected()).isTrue();
                }
            }
        }
    }
}
