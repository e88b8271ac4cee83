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

    // Latency and bandwidth are checked twice: the driver reports the fault on that link and on no other, and a
    // round trip through the link takes at least what the fault adds. That lower bound is the only observation
    // that the proxy applies the fault rather than just recording it. It cannot fail because the machine is
    // slow (slowness only adds time); it fails when the fault is missing or shorter than configured. No upper
    // bound is asserted: how fast a link is belongs in the benchmarks.

    @Test
    void latencyDelaysEveryRoundTripInBothStreams() throws Exception {
        Duration latency = Duration.ofMillis(100);
        Duration jitter = Duration.ofMillis(10);
        control.latency("a", "b", latency, jitter);

        LinkState state = control.link("a", "b");
        assertThat(state.latencyMs()).isEqualTo(100);
        assertThat(state.jitterMs()).isEqualTo(10);
        assertThat(state.isCut()).isFalse();
        assertThat(control.link("b", "a").isClear()).as("the reverse link").isTrue();
        try (Socket s = connect("a", "b")) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "slow".getBytes())).isEqualTo("slow".getBytes());
            // at least latency - jitter in each stream
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(latency.minus(jitter).multipliedBy(2));
        }
    }

    @Test
    void bandwidthLimitsThroughput() throws Exception {
        control.bandwidth("a", "b", 64);

        LinkState state = control.link("a", "b");
        assertThat(state.bandwidthKBps()).isEqualTo(64);
        assertThat(state.latencyMs()).isZero();
        assertThat(state.isCut()).isFalse();
        assertThat(control.link("b", "a").isClear()).as("the reverse link").isTrue();
        byte[] data = new byte[128 * 1024];
        Arrays.fill(data, (byte) 7);
        try (Socket s = connect("a", "b")) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, data)).isEqualTo(data);
            // 128 KB at 64 KB/s: about two seconds through each stream (they overlap), less the last slice a
            // proxy may send before it waits
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void flappingCutsRepeatedlyAndEndsHealed() throws Exception {
        // Each cut and heal flap makes is checked the moment the driver's call returns (its calls are synchronous:
        // the fault is in place on return), so no probe has to land inside a half period by luck.
        CheckingLinkControl checking = new CheckingLinkControl(control);

        checking.flap("a", "b", 3, Duration.ofMillis(600), CutStyle.REFUSE);

        assertThat(checking.refusedAfterCut).as("a->b cuts, each refusing a connection at once").isEqualTo(3);
        assertThat(checking.carriedAfterHeal).as("a->b heals, each carrying a round trip at once")
                .isGreaterThanOrEqualTo(3);
        assertThat(checking.failures).isEmpty();
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

    /**
     * Forwards to a driver and, after each cut or heal of a->b returns, checks that the link refuses a new
     * connection or carries a round trip. Only the driver's own methods are forwarded, so the interface's default
     * {@code flap}, {@code isolate} and {@code heal} run through these checks.
     */
    private final class CheckingLinkControl implements LinkControl {
        private final LinkControl driver;
        int refusedAfterCut;
        int carriedAfterHeal;
        final List<String> failures = new ArrayList<>();

        CheckingLinkControl(LinkControl driver) {
            this.driver = driver;
        }

        @Override
        public void cutOneWay(String source, String target, CutStyle style) {
            driver.cutOneWay(source, target, style);
            if (source.equals("a") && target.equals("b")) {
                try {
                    connect("a", "b").close();
                    failures.add("a->b accepted a connection right after a cut");
                } catch (ConnectException refused) {
                    refusedAfterCut++;
                } catch (IOException e) {
                    failures.add("a->b after a cut: " + e);
                }
            }
        }

        @Override
        public void healOneWay(String source, String target) {
            driver.healOneWay(source, target);
            if (source.equals("a") && target.equals("b")) {
                try (Socket s = connect("a", "b")) {
                    if (Arrays.equals(roundTrip(s, "healed".getBytes()), "healed".getBytes())) {
                        carriedAfterHeal++;
                    } else {
                        failures.add("a->b did not echo right after a heal");
                    }
                } catch (IOException e) {
                    failures.add("a->b right after a heal: " + e);
                }
            }
        }

        @Override
        public String driver() {
            return driver.driver();
        }

        @Override
        public List<LinkState> links() {
            return driver.links();
        }

        @Override
        public LinkState link(String source, String target) {
            return driver.link(source, target);
        }

        @Override
        public void latency(String source, String target, Duration latency, Duration jitter) {
            driver.latency(source, target, latency, jitter);
        }

        @Override
        public void bandwidth(String source, String target, long kilobytesPerSecond) {
            driver.bandwidth(source, target, kilobytesPerSecond);
        }

        @Override
        public void clearFaults(String source, String target) {
            driver.clearFaults(source, target);
        }
    }
}
