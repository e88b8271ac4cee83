package io.netsplit.health;

import io.netsplit.health.internal.HealthHttpServer;
import io.netsplit.kit.ServiceMain;
import io.netsplit.lab.LabDescriptor;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the checker as a service, by the kit's {@link ServiceMain} convention: {@code HealthMain [--config FILE]
 * [--set KEY=VALUE]... | --list-config}, with {@code health.descriptor} naming the sites. Serves {@code /health},
 * {@code /check}, {@code /changes} and {@code /metrics}; stops on SIGTERM. A bad key or value ends it at once with one
 * line naming it (exit 2); a checker that cannot start ends with exit 1.
 */
public final class HealthMain {

    private static final Logger log = LoggerFactory.getLogger(HealthMain.class);

    private HealthMain() {
    }

    /** A checker's configuration and the sites it checks. */
    public record Setup(HealthConfig config, LabDescriptor descriptor) {
    }

    public static void main(String[] args) {
        service().main(args);
    }

    /** The command: configuration and descriptor, then the checker and its HTTP API until SIGTERM. */
    public static ServiceMain<Setup> service() {
        return ServiceMain.of("health", "Checks every site and link and publishes the pipeline's health.",
                HealthConfig.configDef(), HealthMain::setup).run((setup, context) -> {
                    HealthConfig config = setup.config();
                    LabDescriptor descriptor = setup.descriptor();
                    HealthChecker checker;
                    HealthHttpServer http;
                    try {
                        checker = new HealthChecker(config, descriptor).start();
                        http = new HealthHttpServer(checker, config.httpHost(), config.httpPort());
                    } catch (Exception e) {
                        // nothing may stay up answering /ready without checking
                        context.err().println("health: cannot start: " + e.getMessage());
                        context.err().flush();
                        return ServiceMain.EXIT_FAILED;
                    }
                    log.info("health checker '{}' on http://{}:{} checking {} site(s) and {} link(s) every {} ms",
                            config.name(), config.httpHost(), http.port(), descriptor.sites().size(),
                            descriptor.links().size(), config.interval().toMillis());
                    return context.runUntilStopped(() -> {
                        http.close();
                        checker.close();
                    });
                });
    }

    static Setup setup(Map<String, String> settings) {
        HealthConfig config = new HealthConfig(settings);
        if (config.descriptor().isEmpty()) {
            throw new ConfigException(HealthConfig.DESCRIPTOR + " is required: the lab.json naming the sites to check");
        }
        try {
            return new Setup(config, readDescriptor(Path.of(config.descriptor())));
        } catch (RuntimeException e) {
            // an unreadable descriptor is bad configuration, as a bad key is
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The descriptor at {@code path}: a lab.json file or a directory holding one. */
    public static LabDescriptor readDescriptor(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve(LabDescriptor.FILE_NAME))) {
            throw new IllegalArgumentException("no " + LabDescriptor.FILE_NAME + " at " + path);
        }
        return LabDescriptor.read(dir);
    }
}
