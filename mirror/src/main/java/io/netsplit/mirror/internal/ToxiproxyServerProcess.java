package io.netsplit.mirror.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code toxiproxy-server} as the child of a small JVM, so the lab owns it like any other
 * process (listed in {@code lab.json}, stopped with the lab, killable and restartable by drills:
 * on restart the server re-creates the proxies from its {@code -config} file). Exits when the
 * server exits; stops the server on SIGTERM.
 *
 * <p>Finding the binary: system property {@value #BINARY_PROPERTY}, else environment variable
 * {@value #BINARY_ENV}, else {@code toxiproxy-server} on the {@code PATH}.
 */
public final class ToxiproxyServerProcess {

    private static final Logger log = LoggerFactory.getLogger(ToxiproxyServerProcess.class);

    public static final String BINARY_PROPERTY = "netsplit.toxiproxy.server";
    public static final String BINARY_ENV = "TOXIPROXY_SERVER";
    public static final String BINARY_NAME = "toxiproxy-server";

    private ToxiproxyServerProcess() {
    }

    /** The toxiproxy-server binary to use, if one is configured or on the PATH. */
    public static Optional<Path> findBinary() {
        String configured = System.getProperty(BINARY_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(BINARY_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, BINARY_NAME);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code ToxiproxyServerProcess <binary> <server args...>}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ToxiproxyServerProcess <toxiproxy-server> [args...]");
        }
        List<String> cmd = new ArrayList<>(List.of(args));
        Process server = new ProcessBuilder(cmd).inheritIO().start();
        log.info("toxiproxy-server started, pid {}", server.pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.destroy();
            try {
                if (!server.waitFor(5, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                server.destroyForcibly();
            }
        }, "toxiproxy-stop"));
        int code = server.waitFor();
        log.info("toxiproxy-server exited with code {}", code);
        System.exit(code == 0 ? 0 : 1);
    }
}
