package io.netsplit.lab;

import io.netsplit.kit.Pause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the lab started and owns: its command, its log file, its readiness check. It can be
 * stopped gracefully, killed (SIGKILL, as drills do) and started again with the same command.
 */
public final class ManagedProcess {

    private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

    /** Tells whether a started process is ready to serve. Exceptions count as "not yet". */
    @FunctionalInterface
    public interface Readiness {
        boolean ready() throws Exception;
    }

    private final String component;
    private final String site;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Readiness readiness;
    private volatile Process process;

    public ManagedProcess(String component, String site, List<String> command, Map<String, String> environment,
                          Path logFile, Readiness readiness) {
        this.component = component;
        this.site = site;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.readiness = readiness;
    }

    public String component() {
        return component;
    }

    /** The site this process serves, or null for shared components such as the registry. */
    public String site() {
        return site;
    }

    public Path logFile() {
        return logFile;
    }

    public List<String> command() {
        return command;
    }

    public String label() {
        return site == null ? component : component + "@" + site;
    }

    public synchronized void start() {
        if (isAlive()) {
            return;
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.environment().putAll(environment);
            process = pb.start();
            log.debug("started {} pid {}", label(), process.pid());
        } catch (IOException e) {
            throw new LabException("cannot start " + label() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the readiness check passes; fails fast, with the log's tail, if the process dies. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new LabException(label() + " exited with code " + (p == null ? "?" : p.exitValue())
                        + " before it was ready; log: " + logFile + lastLines());
            }
            try {
                if (readiness.ready()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (!Pause.sleep(200)) {
                throw new LabException("interrupted while waiting for " + label() + " to be ready");
            }
        }
        throw new LabException(label() + " not ready after " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (last check: " + last.getMessage() + ")") + "; log: " + logFile);
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** SIGTERM, then SIGKILL after the grace period; children of the process too. */
    public synchronized void stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("{} did not stop within {} s; killing it", label(), grace.toSeconds());
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL, the way a crash looks to everyone else. */
    public synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public ProcessDescriptor describe() {
        return new ProcessDescriptor(component, site, pid(), logFile.toString());
    }

    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return tail.isEmpty() ? "" : " — last lines: " + String.join(" | ", tail);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
