package io.netsplit.mirror;

import io.netsplit.mirror.internal.FaultProxy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes a link the way Kafka uses it: opens a TCP connection to the link's address, sends an
 * ApiVersions request (version 0) and waits for the broker's answer. A refused connection, a reset,
 * or no answer within the timeout (a blackholed link accepts but never answers) is a failure. Used by
 * the link health monitor and by the health checker, for links and for sites' own brokers alike.
 */
public final class KafkaLinkProbe {

    private static final short API_VERSIONS = 18;
    private static final byte[] CLIENT_ID = "netsplit-link-probe".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger CORRELATION = new AtomicInteger();

    /** The outcome of one probe. */
    public record Result(boolean ok, long rttMs, String error) {
    }

    private KafkaLinkProbe() {
    }

    public static Result probe(String hostPort, int timeoutMs) {
        long t0 = System.nanoTime();
        var address = FaultProxy.parseAddress(hostPort);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(address, timeoutMs);
            int remaining = (int) Math.max(1, timeoutMs - (System.nanoTime() - t0) / 1_000_000);
            s.setSoTimeout(remaining);
            int correlation = CORRELATION.incrementAndGet();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(correlation);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int size = in.readInt();
            int answered = in.readInt();
            if (size < 4 || answered != correlation) {
                return new Result(false, elapsed(t0), "unexpected answer through the link");
            }
            return new Result(true, elapsed(t0), null);
        } catch (SocketTimeoutException e) {
            return new Result(false, elapsed(t0), "no answer within " + timeoutMs + " ms");
        } catch (IOException e) {
            return new Result(false, elapsed(t0), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
