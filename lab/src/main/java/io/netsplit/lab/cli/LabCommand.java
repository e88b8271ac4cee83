package io.netsplit.lab.cli;

import io.netsplit.lab.LabConfig;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabException;
import io.netsplit.lab.LabLocator;
import io.netsplit.lab.LabSupervisor;
import io.netsplit.lab.ProcessDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.lab.internal.JavaCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code netsplit lab up|status|down}: the embedded lab as a background service. */
@Command(name = "lab", description = "Start, inspect and stop the embedded multi-site lab.",
        mixinStandardHelpOptions = true,
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Url.class, LabCommand.Down.class})
public final class LabCommand {

    static Path dir(Path option) {
        return LabLocator.resolve(option).toAbsolutePath();
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start a lab in the background and return once every component is ready.")
    public static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--sites", description = "Comma-separated site aliases (default: ${DEFAULT-VALUE}).",
                defaultValue = LabConfig.SITES_DEFAULT)
        String sites;

        @Option(names = {"--dir", "--lab"}, description = "Run directory (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
        Path dir;

        @Option(names = "--link-driver", description = "auto, toxiproxy or embedded (default: ${DEFAULT-VALUE}).",
                defaultValue = LabConfig.LINK_DRIVER_DEFAULT)
        String linkDriver;

        @Option(names = "--disable", description = "Comma-separated components not to start (e.g. mirror).",
                defaultValue = "")
        String disabled;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "A component setting passed to the lab's components, e.g. reconcile.policy.default=lww (repeatable).")
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

        @Option(names = "--timeout", description = "How long to wait for the lab (default: ${DEFAULT-VALUE} s).",
                defaultValue = "300")
        int timeoutSeconds;

        @Option(names = "--stop-with", paramLabel = "PID",
                description = "Stop the lab when process PID ends (a test JVM, a CI job's shell). "
                        + "Default: the lab runs until 'lab down', whoever started it.")
        Long stopWith;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path runDir = dir(dir);
            java.util.Map<String, String> props = new java.util.LinkedHashMap<>(this.settings);
            props.keySet().stream().filter(k -> k.startsWith("lab.")).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("--set " + k + ": lab settings have their own options");
            });
            props.put(LabConfig.SITES, sites);
            props.put(LabConfig.DIR, runDir.toString());
            props.put(LabConfig.LINK_DRIVER, linkDriver);
            props.put(LabConfig.DISABLED_COMPONENTS, disabled);
            // validate here, so bad flags fail with one line before anything starts
            LabConfig.parse(props);
            if (stopWith != null && !alive(stopWith)) {
                throw new IllegalArgumentException("--stop-with " + stopWith + ": no such process");
            }
            List<String> settings = props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            liveSupervisor(runDir).ifPresent(pid -> {
                throw new LabException("a lab is already running at " + runDir + " (supervisor pid " + pid
                        + "); stop it with 'netsplit lab down'");
            });
            Files.createDirectories(runDir.resolve("logs"));
            Files.deleteIfExists(runDir.resolve(LabDescriptor.FILE_NAME));
            Path supervisorLog = runDir.resolve("logs").resolve("supervisor.log");
            Files.deleteIfExists(supervisorLog);
            List<String> jvmArgs = List.of("-Xmx256m", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=" + runDir.resolve("logback-supervisor.xml"));
            // The supervisor outlives this command (it is the lab until 'lab down'), in a session of its
            // own so that closing the terminal does not hang it up; its children watch it, not us.
            List<String> cmd = new ArrayList<>();
            if (stopWith == null) {
                SETSID.ifPresent(setsid -> cmd.add(setsid.toString()));
                cmd.addAll(JavaCommand.detached(runDir, jvmArgs, LabSupervisor.class.getName(), settings));
            } else {
                cmd.addAll(JavaCommand.watchedBy(stopWith, runDir, jvmArgs, LabSupervisor.class.getName(), settings));
            }
            Files.writeString(runDir.resolve("logback-supervisor.xml"), SUPERVISOR_LOGBACK);
            Process supervisor = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(supervisorLog.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            out.println("starting lab at " + runDir + " (sites " + sites + "), supervisor pid " + supervisor.pid());
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            long shown = 0;
            while (System.nanoTime() < deadline) {
                shown = echoNewLines(supervisorLog, shown, out);
                Path json = runDir.resolve(LabDescriptor.FILE_NAME);
                if (Files.isRegularFile(json)) {
                    LabDescriptor d = LabDescriptor.read(runDir);
                    if ("ready".equals(d.state())) {
                        echoNewLines(supervisorLog, shown, out);
                        out.println("lab ready: " + json);
                        return 0;
                    }
                    if ("failed".equals(d.state()) || "stopped".equals(d.state())) {
                        throw new LabException("lab failed: " + d.error() + " (supervisor log: " + supervisorLog + ")");
                    }
                }
                if (!supervisor.isAlive()) {
                    throw new LabException("lab supervisor exited with code " + supervisor.exitValue()
                            + " before the lab was ready; log: " + supervisorLog);
                }
                Thread.sleep(200);
            }
            supervisor.destroy();
            throw new LabException("lab not ready after " + timeoutSeconds + " s; log: " + supervisorLog);
        }

        private static final String SUPERVISOR_LOGBACK = """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <!-- readiness probes knock on brokers that are still starting: that is expected -->
                  <logger name="org.apache.kafka" level="ERROR"/>
                  <logger name="io.netsplit.lab.EmbeddedLab" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """;

        /** Prints lines of the supervisor log that are new since {@code from}; returns the new offset. */
        private static long echoNewLines(Path file, long from, PrintWriter out) throws IOException {
            if (!Files.isRegularFile(file)) {
                return from;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                if (raf.length() <= from) {
                    return from;
                }
                raf.seek(from);
                byte[] bytes = new byte[(int) (raf.length() - from)];
                raf.readFully(bytes);
                String text = new String(bytes, StandardCharsets.UTF_8);
                int lastNewline = text.lastIndexOf('\n');
                if (lastNewline < 0) {
                    return from;
                }
                out.print(text.substring(0, lastNewline + 1));
                out.flush();
                return from + text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the lab's state, sites, services and processes; exit 0 only if it is ready and every process is alive.")
    public static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"--dir", "--lab"}, description = "Run directory (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
        Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path runDir = dir(dir);
            LabDescriptor d = LabDescriptor.read(runDir);
            boolean supervisorAlive = d.supervisorPid() != null && alive(d.supervisorPid());
            out.println("lab " + runDir + ": " + d.state() + (d.error() == null ? "" : " (" + d.error() + ")"));
            out.println("registry " + d.registry());
            for (SiteDescriptor s : d.sites()) {
                StringBuilder line = new StringBuilder("site " + s.name() + " bootstrap=" + s.bootstrap());
                s.services().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
                out.println(line);
            }
            List<String> dead = new ArrayList<>();
            for (ProcessDescriptor p : d.processes()) {
                boolean a = alive(p.pid());
                if (!a) {
                    dead.add(label(p));
                }
                out.println("process " + label(p) + " pid=" + p.pid() + " " + (a ? "alive" : "DEAD") + " log=" + p.log());
            }
            boolean healthy = "ready".equals(d.state()) && supervisorAlive && dead.isEmpty();
            if (!supervisorAlive && "ready".equals(d.state())) {
                out.println("supervisor pid " + d.supervisorPid() + " is gone");
            }
            return healthy ? 0 : 1;
        }
    }

    @Command(name = "url", mixinStandardHelpOptions = true,
            description = "Print one address of a running lab, for scripts: a site's service URL (writer, "
                    + "reconciler, audit, ...) or its Kafka bootstrap servers; 'registry' alone for the schema registry.")
    public static final class Url implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "SITE|registry",
                description = "A site alias, or 'registry'.")
        String site;

        @picocli.CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "SERVICE",
                description = "writer, reconciler, audit, ... or bootstrap.")
        String service;

        @Option(names = {"--dir", "--lab"}, description = "Run directory (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
        Path dir;

        @Override
        public Integer call() {
            LabDescriptor d = LabDescriptor.read(dir(dir));
            String url;
            if ("registry".equals(site) && service == null) {
                url = d.registry();
            } else {
                if (service == null) {
                    throw new IllegalArgumentException("name a service: lab url " + site + " writer|reconciler|audit|bootstrap");
                }
                SiteDescriptor s = d.sites().stream().filter(x -> x.name().equals(site)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no site '" + site + "' in the lab (sites: "
                                + d.sites().stream().map(SiteDescriptor::name).toList() + ")"));
                url = "bootstrap".equals(service) ? s.bootstrap() : s.service(service).orElseThrow(() ->
                        new IllegalArgumentException("site '" + site + "' has no service '" + service + "' (services: "
                                + s.services().keySet() + ", bootstrap)"));
            }
            spec.commandLine().getOut().println(url);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the lab: its supervisor stops every process it started, in order.")
    public static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"--dir", "--lab"}, description = "Run directory (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
        Path dir;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            Path runDir = dir(dir);
            LabDescriptor d = LabDescriptor.read(runDir);
            Optional<ProcessHandle> supervisor = d.supervisorPid() == null ? Optional.empty()
                    : ProcessHandle.of(d.supervisorPid()).filter(ProcessHandle::isAlive);
            if (supervisor.isPresent()) {
                supervisor.get().destroy();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (supervisor.get().isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
            // whatever the supervisor could not stop (it was killed, or timed out) goes by PID
            int forced = 0;
            for (ProcessDescriptor p : d.processes()) {
                Optional<ProcessHandle> h = ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive);
                if (h.isPresent()) {
                    h.get().destroyForcibly();
                    forced++;
                }
            }
            supervisor.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
            out.println("lab stopped" + (forced > 0 ? " (" + forced + " processes killed by pid)" : ""));
            return 0;
        }
    }

    /** util-linux's {@code setsid}, where the system has it. */
    private static final Optional<Path> SETSID = java.util.stream.Stream.of(
                    System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator))
            .filter(d -> !d.isBlank())
            .map(d -> Path.of(d, "setsid"))
            .filter(Files::isExecutable)
            .findFirst();

    static Optional<Long> liveSupervisor(Path runDir) {
        if (!Files.isRegularFile(runDir.resolve(LabDescriptor.FILE_NAME))) {
            return Optional.empty();
        }
        LabDescriptor d = LabDescriptor.read(runDir);
        return Optional.ofNullable(d.supervisorPid()).filter(LabCommand::alive)
                .filter(pid -> !"stopped".equals(d.state()) && !"failed".equals(d.state()));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String label(ProcessDescriptor p) {
        return p.site() == null ? p.component() : p.component() + "@" + p.site();
    }
}
