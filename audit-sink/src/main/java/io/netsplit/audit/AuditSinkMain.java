package io.netsplit.audit;

import io.netsplit.lab.ServiceArguments;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one audit sink until SIGTERM: {@code AuditSinkMain key=value... [@file.properties]}, with the
 * keys of {@link AuditSinkConfig}. Exit code 2 for bad configuration, 1 if it cannot start.
 */
public final class AuditSinkMain {

    private AuditSinkMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AuditSinkConfig config;
        try {
            config = new AuditSinkConfig(parse(args));
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("audit sink: " + e.getMessage());
            System.exit(2);
            return;
        }
        AuditSink sink;
        try {
            sink = AuditSink.start(config);
        } catch (RuntimeException e) {
            System.err.println("audit sink " + config.site() + " failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            sink.close();
            stopped.countDown();
        }, "audit-sink-shutdown"));
        // a sink whose consumer died records nothing: exit, so a supervisor (the lab, systemd) restarts it
        while (!stopping.await(1, TimeUnit.SECONDS)) {
            if (!sink.consuming()) {
                System.err.println("audit sink " + config.site() + ": the consumer stopped (see the log); exiting");
                System.exit(1);
            }
        }
        stopped.await();
    }

    /** {@code key=value} arguments and {@code @file} properties files, later ones winning. */
    static Map<String, String> parse(String[] args) {
        return ServiceArguments.parse(args);
    }
}
