package io.netsplit.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one site's reconciler and its HTTP API until SIGTERM.
 *
 * <pre>
 * java io.netsplit.reconcile.ReconcilerMain [--config file.properties] --set reconcile.site=us-east \
 *      --set reconcile.bootstrap.servers=127.0.0.1:9092 --set reconcile.schema.registry.url=http://... [--set key=value]...
 * </pre>
 * Keys are those of {@link ReconcileConfig}; a bad one stops it with a one-line error and exit code 2.
 */
public final class ReconcilerMain {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerMain.class);

    private ReconcilerMain() {
    }

    public static void main(String[] args) throws Exception {
        ReconcileConfig config;
        try {
            config = ReconcileConfig.parse(parseArgs(args));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("reconciler: " + e.getMessage());
            System.exit(2);
            return;
        }
        Reconciler reconciler = Reconciler.start(config);
        ReconcilerHttpServer http = new ReconcilerHttpServer(reconciler, config.httpHost(), config.httpPort());
        log.info("reconciler {} (application id {}) serving HTTP on port {}", config.site(), config.applicationId(), http.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            reconciler.close();
            stopped.countDown();
        }, "reconciler-shutdown"));
        stopped.await();
    }

    /** {@code --config FILE} and {@code --set key=value}, later ones winning. */
    static Map<String, String> parseArgs(String[] args) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--set") || a.equals("--config")) && i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (a.equals("--set")) {
                String kv = args[++i];
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set " + kv + ": expected key=value");
                }
                props.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
            } else if (a.equals("--config")) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(Path.of(args[++i]))) {
                    p.load(in);
                }
                p.forEach((k, v) -> props.put(k.toString(), v.toString()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'; use --config FILE or --set key=value");
            }
        }
        return props;
    }
}
