package io.netsplit.lab.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out free loopback ports, never the same one twice in one lab. Ports come from
 * {@value #LOW}..{@value #HIGH}, below Linux's ephemeral range (32768+), so an outgoing
 * connection of another process cannot take a port between the check here and the bind of the
 * broker that uses it seconds later.
 */
public final class Ports {

    static final int LOW = 20000;
    static final int HIGH = 32000;

    private final Set<Integer> given = new HashSet<>();

    public synchronized int next() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!given.contains(port) && free(port)) {
                given.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOW + ".." + HIGH + " after 500 attempts");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
