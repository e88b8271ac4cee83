package io.netsplit.audit;

import io.netsplit.lab.internal.JavaCommand;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** An audit sink in its own JVM, so a test can kill it with SIGKILL mid-stream. */
public final class SinkProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private SinkProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts {@code AuditSinkMain} with {@code config} (plus a free HTTP port) and waits until it is healthy. */
    public static SinkProcess start(Path dir, Map<String, String> config) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>();
        config.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        args.add("--set");
        args.add(AuditSinkConfig.HTTP_PORT + "=" + port);
        Files.createDirectories(dir);
        Path log = dir.resolve("sink-" + port + ".log");
        List<String> cmd = JavaCommand.of(dir, List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED"), AuditSinkMain.class.getName(), args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        SinkProcess sink = new SinkProcess(p, "http://127.0.0.1:" + port, log);
        try {
            await("audit sink process healthy (log " + log + ")").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("sink exited with " + p.exitValue() + ": "
                                    + Files.readString(log));
                        }
                        return sink.healthy();
                    });
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    public String url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    boolean healthy() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no offset commit, no store close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
