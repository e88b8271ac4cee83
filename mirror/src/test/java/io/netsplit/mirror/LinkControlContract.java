package io.netsplit.mirror;

import io.netsplit.lab.LinkDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link LinkControl} driver must show, over real TCP: two links a->b and b->a,
 * each in front of an echo server. A driver's test extends this and starts its server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LinkControlContract {

    protected final List<LinkDescriptor> links = new ArrayList<>();
    private final List<ServerSocket> echoServers = new ArrayList<>();
    private LinkControl control;

    /** Starts the driver's server for {@code links}; returns its control. */
    protected abstract LinkControl startDriver(List<LinkDescriptor> links) throws Exception;

    /** Stops what {@link #startDriver} started. */
    protected abstract void stopDriver() throws Exception;

    @BeforeAll
    void startLinks() throws Exception {
        for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
            ServerSocket echo = echoServer();
            echoServers.add(echo);
            links.add(new LinkDescriptor(pair[0], pair[1], LinkDescriptor.listenerName(pair[1]),
                    "127.0.0.1:" + echo.getLocalPort(), "127.0.0.1:" + freePort()));
        }
        control = startDriver(links);
    }

    @AfterAll
    void stopLinks() throws Exception {
        if (control != null) {
            control.close();
        }
        stopDriver();
        for (ServerSocket s : echoServers) {
            s.close();
        }
    }

    @AfterEach
    void clearFaults() {
        control.reset();
    }

    @Test
    void aHealthyLinkCarriesBytesBothWays() throws Exception {
        assertThat(control.links()).extracting(LinkState::id).containsExactlyInAnyOrder("a->b", "b->a");
        assertThat(control.links()).allMatch(LinkState::isClear);
        try (Socket s = connect("a", "b")) {
            assertThat(roundTrip(s, "hello".getBytes())).isEqualTo("hello".getBytes());
        }
    }

    @Test
    void aRefuseCutRefusesNewConnectionsAndDropsOpenOnes() throws Exception {
        try (Socket open = connect("a", "b")) {
            assertThat(roundTrip(open, "before".getBytes())).isEqualTo("before".getBytes());

            control.cutOneWay("a", "b", CutStyle.REFUSE);

            assertThat(control.link("a", "b").cut()).isEqualTo(CutStyle.REFUSE);
            assertThatThrownBy(() -> connect("a", "b")).isInstanceOf(ConnectException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> isDead(open));
        }
        control.healOneWay("a", "b");
        assertThat(control.link("a", "b").isCut()).isFalse();
        try (Socket s = connect("a", "b")) {
            assertThat(roundTrip(s, "after".getBytes())).isEqualTo("after".getBytes());
        }
    }

    @Test
    void aBlackholeCutKeepsConnectionsOpenButDropsEveryByte() throws Exception {
        try (Socket open = connect("a", "b")) {
            assertThat(roundTrip(open, "before".getBytes())).isEqualTo("before".getBytes());

            control.cutOneWay("a", "b", CutStyle.BLACKHOLE);

            assertThat(control.link("a", "b").cut()).isEqualTo(CutStyle.BLACKHOLE);
            assertThat(answersWithin(open, Duration.ofMillis(1500))).as("open connection answers").isFalse();
            try (Socket fresh = connect("a", "b")) {
                assertThat(answersWithin(fresh, Duration.ofMillis(1500))).as("new connection answers").isFalse();
            }
        }
        control.healOneWay("a", "b");
        try (Socket s = connect("a", "b")) {
            assertThat(roundTrip(s, "after".getBytes())).isEqualTo("after".getBytes());
        }
    }

    @Test
    void aOneWayCutLeavesTheReverseLinkUp() throws Exception {
        control.cutOneWay("a", "b", CutStyle.REFUSE);

        assertThatThrownBy(() -> connect("a", "b")).isInstanceOf(ConnectException.class);
        try (Socket s = connect("b", "a")) {
            assertThat(roundTrip(s, "reverse".getBytes())).isEqualTo("reverse".getBytes());
        }
        assertThat(control.link("b", "a").isCut()).isFalse();
    }

    @Test
    void isolateCutsBothDirectionsAndHealRestoresBoth() throws Exception {
        control.isolate("a", "b", CutStyle.REFUSE);

        assertThat(control.links()).allMatch(l -> l.cut() == CutStyle.REFUSE);
        assertThatThrownBy(() -> connect("a", "b")).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> connect("b", "a")).isInstanceOf(ConnectException.class);

        control.heal("a", "b");

        assertThat(control.links()).noneMatch(LinkState::isCut);
        for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
            try (Socket s = connect(pair[0], pair[1])) {
                assertThat(roundTrip(s, "x".getBytes())).isEqualTo("x".getBytes());
            }
        }
    }

    @Test
    void latencyDelaysEveryRoundTripInBothStreams() throws Exception {
        control.latency("a", "b", Duration.ofMillis(100), Duration.ofMillis(10));

        LinkState state = control.link("a", "b");
        assertThat(state.latencyMs()).isEqualTo(100);
        assertThat(state.jitterMs()).isEqualTo(10);
        try (Socket s = connect("a", "b")) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "slow".getBytes())).isEqualTo("slow".getBytes());
            // 100 ms ± 10 each way
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(180));
        }
    }

    @Test
    void bandwidthLimitsThroughput() throws Exception {
        control.bandwidth("a", "b", 64);

        assertThat(control.link("a", "b").bandwidthKBps()).isEqualTo(64);
        byte[] data = new byte[128 * 1024];
        Arrays.fill(data, (byte) 7);
        try (Socket s = connect("a", "b")) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, data)).isEqualTo(data);
            // 128 KB at 64 KB/s takes about two seconds in each stream
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void flappingCutsRepeatedlyAndEndsHealed() throws Exception {
        AtomicBoolean flapping = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        Thread prober = Thread.ofVirtual().start(() -> {
            while (flapping.get()) {
                try (Socket s = new Socket()) {
                    s.connect(address(link("a", "b").listen()), 500);
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
                sleep(20);
            }
        });
        long t0 = System.nanoTime();

        control.flap("a", "b", 3, Duration.ofMillis(600), CutStyle.REFUSE);

        flapping.set(false);
        prober.join();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1800));
        assertThat(refused.get()).as("connections refused while flapping").isPositive();
        assertThat(control.links()).noneMatch(LinkState::isCut);
        try (Socket s = connect("a", "b")) {
            assertThat(roundTrip(s, "steady".getBytes())).isEqualTo("steady".getBytes());
        }
    }

    @Test
    void clearFaultsAndResetRemoveEveryFault() {
        control.latency("a", "b", Duration.ofMillis(50), Duration.ZERO);
        control.bandwidth("a", "b", 100);
        control.cutOneWay("a", "b", CutStyle.BLACKHOLE);
        control.cutOneWay("b", "a", CutStyle.REFUSE);

        control.clearFaults("a", "b");
        assertThat(control.link("a", "b").isClear()).isTrue();
        assertThat(control.link("b", "a").cut()).isEqualTo(CutStyle.REFUSE);

        control.reset();
        assertThat(control.links()).allMatch(LinkState::isClear);
    }

    @Test
    void unknownLinksAreRejectedByName() {
        assertThatThrownBy(() -> control.cutOneWay("a", "nowhere", CutStyle.REFUSE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a->nowhere");
    }

    // ---- helpers ---------------------------------------------------------------------------

    private LinkDescriptor link(String source, String target) {
        return links.stream().filter(l -> l.source().equals(source) && l.target().equals(target)).findFirst().orElseThrow();
    }

    private Socket connect(String source, String target) throws IOException {
        Socket s = new Socket();
        s.connect(address(link(source, target).listen()), 3000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(data);
                out.flush();
            } catch (IOException e) {
                // the read below fails too
            }
        });
        byte[] back = in.readNBytes(data.length);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return back;
    }

    private static boolean answersWithin(Socket s, Duration timeout) throws IOException {
        s.getOutputStream().write("ping".getBytes());
        s.getOutputStream().flush();
        s.setSoTimeout((int) timeout.toMillis());
        try {
            return s.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static boolean isDead(Socket s) {
        try {
            s.setSoTimeout(500);
            s.getOutputStream().write('x');
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (c) {
                            c.getInputStream().transferTo(c.getOutputStream());
                        } catch (IOException e) {
                            // peer gone
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /**
     * A free port below Linux's ephemeral range (32768+). A listen port inside that range can be
     * picked as the local port of our own client's connect after a refuse cut closed the listener:
     * TCP then connects the socket to itself and the "refused" connection succeeds.
     */
    protected static int freePort() throws IOException {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException busy) {
                // taken: try another
            }
        }
        throw new IOException("no free loopback port in 20000..32000");
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
