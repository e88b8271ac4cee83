package io.netsplit.health;

import io.netsplit.health.internal.HealthHttpServer;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.ServiceArguments;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the checker as a service: {@code HealthMain key=value... | @file.properties}, with
 * {@code health.descriptor} naming the sites. Serves {@code /health}, {@code /check}, {@code /changes} and
 * {@code /metrics}; stops on SIGTERM. A bad key or value ends it at once with one line naming it (exit 2).
 */
public final class HealthMain {

    private static final Logger log = LoggerFactory.getLogger(HealthMain.class);

    private HealthMain() {
    }

    public static void main(String[] args) throws Exception {
        HealthConfig config;
        LabDescriptor descriptor;
        try {
            config = new HealthConfig(parse(args));
            if (config.descriptor().isEmpty()) {
                throw new ConfigException(HealthConfig.DESCRIPTOR + " is required: the lab.json naming the sites to check");
            }
            descriptor = readDescriptor(Path.of(config.descriptor()));
        } catch (RuntimeException e) {
            System.err.println("health: " + e.getMessage());
            System.exit(2);
            return;
        }
        HealthChecker checker;
        HealthHttpServer http;
        try {
            checker = new HealthChecker(config, descriptor).start();
            http = new HealthHttpServer(checker, config.httpHost(), config.httpPort());
        } catch (Exception e) {
            // nothing may stay up answering /ready without checking
            System.err.println("health: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        log.info("health checker '{}' on http://{}:{} checking {} site(s) and {} link(s) every {} ms", config.name(),
                config.httpHost(), http.port(), descriptor.sites().size(), descriptor.links().size(), config.interval().toMillis());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            checker.close();
            stopped.countDown();
        }, "health-shutdown"));
        stopped.await();
    }

    /** The descriptor at {@code path}: a lab.json file or a directory holding one. */
    public static LabDescriptor readDescriptor(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve(LabDescriptor.FILE_NAME))) {
            throw new IllegalArgumentException("no " + LabDescriptor.FILE_NAME + " at " + path);
        }
        return LabDescriptor.read(dir);
    }

    static Map<String, String> parse(String[] args) {
        return ServiceArguments.parse(args);
    }
}
