package io.netsplit.mirror.internal;

import io.netsplit.kit.Pause;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded driver's proxy for one directed link: a TCP forwarder from {@code listen} to
 * {@code upstream} with the same faults as Toxiproxy. Each byte stream is read by one virtual
 * thread and written by another, so latency delays chunks without capping throughput (as
 * Toxiproxy's latency toxic does) and order is kept.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final int CHUNK = 32 * 1024;

    private final String source;
    private final String target;
    private final InetSocketAddress listen;
    private final InetSocketAddress upstream;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile CutStyle cut;
    private volatile long latencyMs;
    private volatile long jitterMs;
    private volatile long bandwidthKBps;
    private ServerSocket server;
    /** While refuse-cut: a socket bound to the listen address and never listening, so the port stays ours. */
    private Socket reservation;
    private volatile boolean closed;

    public FaultProxy(String source, String target, InetSocketAddress listen, InetSocketAddress upstream) {
        this.source = source;
        this.target = target;
        this.listen = listen;
        this.upstream = upstream;
    }

    public String source() {
        return source;
    }

    public String target() {
        return target;
    }

    public synchronized void start() throws IOException {
        openListener();
    }

    public synchronized LinkState state() {
        return new LinkState(source, target, hostPort(listen), hostPort(upstream), cut, latencyMs, jitterMs, bandwidthKBps);
    }

    public synchronized void cut(CutStyle style) throws IOException {
        if (style == CutStyle.REFUSE) {
            cut = CutStyle.REFUSE;
            closeListener();
            reservePort();
            for (Connection c : connections) {
                c.reset();
            }
        } else {
            if (server == null) {
                releasePort();
                openListener();
            }
            cut = CutStyle.BLACKHOLE;
        }
    }

    public synchronized void heal() throws IOException {
        cut = null;
        if (server == null) {
            releasePort();
            openListener();
        }
    }

    public synchronized void latency(long millis, long jitter) {
        latencyMs = Math.max(0, millis);
        jitterMs = Math.max(0, jitter);
    }

    public synchronized void bandwidth(long kbps) {
        bandwidthKBps = Math.max(0, kbps);
    }

    public synchronized void clear() throws IOException {
        latency(0, 0);
        bandwidth(0);
        heal();
    }

    public int connectionCount() {
        return connections.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeListener();
        releasePort();
        for (Connection c : connections) {
            c.reset();
        }
    }

    private void openListener() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        // the port was ours a moment ago; a socket in TIME_WAIT must not stop a heal
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                s.bind(listen, 128);
                last = null;
                break;
            } catch (IOException e) {
                last = e;
                if (!Pause.sleep(100)) {
                    break;
                }
            }
        }
        if (last != null) {
            s.close();
            throw new IOException("link " + source + "->" + target + " cannot listen on " + hostPort(listen) + ": "
                    + last.getMessage(), last);
        }
        server = s;
        Thread.ofPlatform().daemon().name("link-accept-" + source + "-" + target).start(() -> acceptLoop(s));
    }

    /**
     * Keeps the listen port while the link refuses: connections to it are refused (nothing listens), and
     * no other process can bind it meanwhile (without SO_REUSEADDR nobody else may share it). Otherwise a
     * process binding a free-looking port during the cut would answer in the link's place. Best effort:
     * if the port cannot be bound again at once, the cut still refuses.
     */
    private void reservePort() {
        for (int attempt = 0; attempt < 20 && reservation == null; attempt++) {
            Socket r = new Socket();
            try {
                r.setReuseAddress(false);
                r.bind(listen);
                reservation = r;
            } catch (IOException e) {
                closeQuietly(r);
                if (!Pause.sleep(10)) { // the listener's close can lag while its accept thread wakes up
                    break;
                }
            }
        }
        if (reservation == null) {
            log.debug("link {}->{}: could not reserve {} during the cut", source, target, hostPort(listen));
        }
    }

    private void releasePort() {
        Socket r = reservation;
        reservation = null;
        if (r != null) {
            closeQuietly(r);
        }
    }

    private void closeListener() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing listener of {}->{}: {}", source, target, e.toString());
            }
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed() && !closed) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            try {
                client.setTcpNoDelay(true);
                Socket up = new Socket();
                up.setTcpNoDelay(true);
                up.connect(upstream, 5000);
                Connection c = new Connection(client, up);
                // A client accepted just before a refuse-cut closed the listener must not outlive the cut:
                // cut() resets what is in 'connections' under this lock, so either it finds this one
                // there, or this finds the cut (or a newer listener) here and drops the client.
                synchronized (this) {
                    if (cut == CutStyle.REFUSE || closed || server != s) {
                        resetQuietly(client);
                        closeQuietly(up);
                        continue;
                    }
                    connections.add(c);
                }
                c.start();
            } catch (IOException e) {
                log.debug("link {}->{}: upstream {} unreachable: {}", source, target, hostPort(upstream), e.toString());
                resetQuietly(client);
            }
        }
    }

    /** One proxied TCP connection: two byte streams, each with a reader and a writer. */
    private final class Connection {
        private final Socket client;
        private final Socket up;
        private final AtomicInteger openStreams = new AtomicInteger(2);
        private volatile boolean done;

        Connection(Socket client, Socket up) {
            this.client = client;
            this.up = up;
        }

        void start() throws IOException {
            pump(client.getInputStream(), up, "up");
            pump(up.getInputStream(), client, "down");
        }

        private void pump(InputStream in, Socket to, String direction) throws IOException {
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            OutputStream out = to.getOutputStream();
            Thread.ofVirtual().name("link-" + direction + "-read").start(() -> {
                byte[] buf = new byte[CHUNK];
                try {
                    while (!done) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        if (cut == CutStyle.BLACKHOLE) {
                            continue; // dropped on the floor, as a partitioned WAN does
                        }
                        byte[] data = java.util.Arrays.copyOf(buf, n);
                        queue.add(new Chunk(data, System.nanoTime() + delayNanos()));
                    }
                } catch (IOException e) {
                    // the connection ended or was reset
                }
                queue.add(Chunk.EOF);
            });
            Thread.ofVirtual().name("link-" + direction + "-write").start(() -> {
                try {
                    while (true) {
                        Chunk c = queue.take();
                        if (c == Chunk.EOF) {
                            break;
                        }
                        long wait = c.dueNanos() - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        if (cut == CutStyle.BLACKHOLE) {
                            continue;
                        }
                        write(out, c.data());
                    }
                    to.shutdownOutput();
                } catch (IOException | InterruptedException e) {
                    reset();
                    return;
                }
                if (openStreams.decrementAndGet() == 0) {
                    finish();
                }
            });
        }

        private void write(OutputStream out, byte[] data) throws IOException, InterruptedException {
            long rate = bandwidthKBps;
            if (rate <= 0) {
                out.write(data);
                out.flush();
                return;
            }
            // at most 100 ms worth of bytes at a time, then wait what those bytes cost
            int slice = (int) Math.max(1, Math.min(data.length, rate * 1024 / 10));
            for (int off = 0; off < data.length; off += slice) {
                int n = Math.min(slice, data.length - off);
                out.write(data, off, n);
                out.flush();
                long r = bandwidthKBps;
                if (r > 0) {
                    TimeUnit.MICROSECONDS.sleep(n * 1_000_000L / (r * 1024));
                }
            }
        }

        private long delayNanos() {
            long lat = latencyMs;
            long jit = jitterMs;
            if (lat == 0 && jit == 0) {
                return 0;
            }
            long d = lat + (jit == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jit, jit + 1));
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, d));
        }

        void reset() {
            if (done) {
                return;
            }
            done = true;
            resetQuietly(client);
            resetQuietly(up);
            connections.remove(this);
        }

        private void finish() {
            done = true;
            closeQuietly(client);
            closeQuietly(up);
            connections.remove(this);
        }
    }

    private record Chunk(byte[] data, long dueNanos) {
        static final Chunk EOF = new Chunk(new byte[0], 0);
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not FIN: the peer sees "connection reset"
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    public static InetSocketAddress parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
