package io.netsplit.lab.internal;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs a main class, and ends this process when the lab process that started it is gone, so a lab
 * JVM that dies without stopping its children (SIGKILL, a crashed test JVM) leaves no broker or
 * mirror behind. Usage: {@code ParentWatchdog <parent-pid> <main-class> [args...]}.
 */
public final class ParentWatchdog {

    private static final long POLL_MILLIS = 1000;
    private static final long HALT_AFTER_MILLIS = 15_000;

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatchdog <parent-pid> <main-class> [args...]");
            System.exit(2);
        }
        long parent = Long.parseLong(args[0]);
        Thread.ofPlatform().daemon().name("parent-watchdog").start(() -> watch(parent));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    private static void watch(long parent) {
        while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("lab process " + parent + " is gone; stopping");
        // graceful first (the component's own shutdown hooks), then for certain
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                // halt now
            }
            Runtime.getRuntime().halt(1);
        });
        System.exit(1);
    }
}
