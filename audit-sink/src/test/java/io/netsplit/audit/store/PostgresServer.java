package io.netsplit.audit.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for tests: {@code initdb} into {@code target/postgres/}, {@code pg_ctl start}
 * on a free loopback port (trust authentication, no fsync), stopped with {@code pg_ctl stop} (and by
 * its postmaster PID if that fails). initdb refuses to run as root, so as root every PostgreSQL
 * binary runs as the {@code postgres} user through {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private long postmasterPid = -1;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Where {@code initdb} is: on the PATH, else the newest {@code /usr/lib/postgresql/<v>/bin}. */
    public static Optional<Path> findBinaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String p : path.split(":")) {
                Path initdb = Path.of(p, "initdb");
                if (Files.isExecutable(initdb)) {
                    try {
                        return Optional.of(initdb.toRealPath().getParent());
                    } catch (IOException e) {
                        return Optional.of(initdb.getParent());
                    }
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Integer versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** initdb and start a server under {@code parent}; fails with the server's log if it cannot start. */
    public static PostgresServer start(Path bin, Path parent) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent.toAbsolutePath(), "pg-");
        if (root && !postgresUserCanReach(dir)) {
            // e.g. a checkout under /root (mode 700): the postgres user cannot reach target/, so use /tmp
            log.info("user postgres cannot reach {}; using a directory under {}", dir, System.getProperty("java.io.tmpdir"));
            Files.delete(dir);
            dir = Files.createTempDirectory("netsplit-pg-");
        }
        PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
        try {
            server.initAndStart();
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    private static boolean postgresUserCanReach(Path dir) throws Exception {
        Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-x", dir.getParent().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private void initAndStart() throws Exception {
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--no-sync", "--no-instructions"), true);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
                "-w", "-t", "90", "start"), true);
        List<String> pidFile = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        postmasterPid = Long.parseLong(pidFile.get(0).strip());
        log.info("PostgreSQL started on 127.0.0.1:{} (pid {}, {})", port, postmasterPid, dir);
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of database {@code name}. */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    /** Creates a fresh database and returns its JDBC URL. */
    public String createDatabase(String prefix) throws Exception {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    @Override
    public void close() {
        boolean stopped = false;
        if (Files.isRegularFile(data.resolve("postmaster.pid"))) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30",
                        "stop"), true);
                stopped = true;
                log.info("PostgreSQL on port {} stopped", port);
                deleteTree(dir);
            } catch (Exception e) {
                log.warn("pg_ctl stop failed: {}", e.toString());
            }
        }
        if (!stopped && postmasterPid > 0) {
            ProcessHandle.of(postmasterPid).filter(ProcessHandle::isAlive).ifPresent(h -> {
                log.warn("stopping PostgreSQL by its pid {}", postmasterPid);
                h.destroyForcibly();
            });
        }
    }

    private void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Path out = Files.createTempFile("pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .directory(dir.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                String logTail = "";
                Path serverLog = dir.resolve("postgres.log");
                if (Files.isReadable(serverLog)) {
                    logTail = " | server log: " + String.join(" | ", Files.readAllLines(serverLog));
                }
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit " + p.exitValue() + ": "
                        + Files.readString(out).strip().replace('\n', ' ') + logTail);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", root, e.toString());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
