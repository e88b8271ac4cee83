package io.netsplit.reconcile;

import io.netsplit.kit.ServiceMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one site's reconciler and its HTTP API until SIGTERM, by the kit's {@link ServiceMain} convention:
 *
 * <pre>
 * java io.netsplit.reconcile.ReconcilerMain [--config file.properties] --set site=us-east \
 *      --set bootstrap.servers=127.0.0.1:9092 --set schema.registry.url=http://... [--set key=value]...
 * </pre>
 * Keys are those of {@link ReconcileConfig} ({@code --list-config}); a bad one stops it with a one-line error and exit
 * code 2, a failure to start with exit code 1.
 */
public final class ReconcilerMain {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerMain.class);

    private ReconcilerMain() {
    }

    public static void main(String[] args) {
        service().main(args);
    }

    /** The command: configuration, then the reconciler and its HTTP API until SIGTERM. */
    public static ServiceMain<ReconcileConfig> service() {
        return ServiceMain.of("reconciler", "Merges every site's changes into the site's converged view, with an audit "
                + "record per decision.", ReconcileConfig.configDef(), ReconcileConfig::parse).run((config, context) -> {
                    Reconciler reconciler = Reconciler.start(config);
                    ReconcilerHttpServer http;
                    try {
                        http = new ReconcilerHttpServer(reconciler, config.httpHost(), config.httpPort());
                    } catch (Exception e) {
                        reconciler.close();
                        throw e;
                    }
                    log.info("reconciler {} (application id {}) serving HTTP on port {}", config.site(),
                            config.applicationId(), http.port());
                    return context.runUntilStopped(() -> {
                        http.close();
                        reconciler.close();
                    });
                });
    }
}
