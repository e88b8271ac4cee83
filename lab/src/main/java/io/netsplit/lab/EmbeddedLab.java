package io.netsplit.lab;

import io.netsplit.kit.TopicName;
import io.netsplit.lab.internal.BrokerComponent;
import io.netsplit.lab.internal.ControlServer;
import io.netsplit.lab.internal.JavaCommand;
import io.netsplit.lab.internal.LabFiles;
import io.netsplit.lab.internal.Ports;
import io.netsplit.lab.internal.RegistryComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded lab: plans every site's ports and links, then starts its components side by side as
 * their {@link LabComponent#startsAfter()} allow: its own {@link BrokerComponent} (per site a real
 * single-node KRaft broker in its own JVM) and {@link RegistryComponent} (one real Apicurio schema
 * registry), then every {@link LabComponent} on the classpath (links, mirror, reconciler, writer,
 * audit sink...). Writes {@code lab.json} into the run directory; {@link #close()} stops everything
 * it started, components in their stop order, registry and brokers last.
 *
 * <p>Topics created on every site: {@code changes}, {@code converged} (compacted), {@code audit},
 * {@code changes.dlq}.
 */
public final class EmbeddedLab implements Lab, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedLab.class);

    public static final String CHANGES_TOPIC = TopicName.CHANGES.defaultName();
    public static final String CONVERGED_TOPIC = TopicName.CONVERGED.defaultName();
    public static final String AUDIT_TOPIC = TopicName.AUDIT.defaultName();
    public static final String DLQ_TOPIC = TopicName.DLQ.defaultName();

    private final LabConfig config;
    private final PrintStream out;
    private final Ports ports = new Ports();
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Stoppable> stoppables = new CopyOnWriteArrayList<>();
    private final List<SiteDescriptor> sites = new ArrayList<>();
    private final List<LinkDescriptor> links = new ArrayList<>();
    private final Map<String, String> linkControl = new LinkedHashMap<>();
    private volatile LabDescriptor descriptor;
    private String registryUrl;
    private ControlServer control;
    private volatile boolean closed;

    private record Stoppable(int order, String name, AutoCloseable action) {
    }

    private EmbeddedLab(LabConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Starts a lab and returns once every component is ready; on failure stops what started. */
    public static EmbeddedLab start(LabConfig config, PrintStream out) {
        EmbeddedLab lab = new EmbeddedLab(config, out);
        try {
            lab.startAll();
            return lab;
        } catch (RuntimeException e) {
            lab.writeDescriptor("failed", e.getMessage());
            lab.close();
            throw e;
        }
    }

    private void startAll() {
        long t0 = System.nanoTime();
        Path runDir = config.runDir().toAbsolutePath();
        prepareRunDir(runDir);
        control = ControlServer.start(this);
        registryUrl = null;

        // ports and links first: each broker advertises its outgoing links' proxy addresses
        Map<String, int[]> brokerPorts = new LinkedHashMap<>();
        for (String site : config.sites()) {
            brokerPorts.put(site, new int[] {ports.next(), ports.next()});
        }
        for (String source : config.sites()) {
            for (String target : config.sites()) {
                if (!source.equals(target)) {
                    links.add(new LinkDescriptor(source, target, LinkDescriptor.listenerName(target),
                            "127.0.0.1:" + ports.next(), "127.0.0.1:" + ports.next()));
                }
            }
        }
        for (String site : config.sites()) {
            sites.add(new SiteDescriptor(site, "127.0.0.1:" + brokerPorts.get(site)[0]));
        }
        writeDescriptor("starting", null);

        // the brokers and the registry are components too: they start first, side by side, and the others
        // name them in their startsAfter
        Map<String, Integer> controllerPorts = new LinkedHashMap<>();
        brokerPorts.forEach((site, p) -> controllerPorts.put(site, p[1]));
        List<LabComponent> components = new ArrayList<>(List.of(new BrokerComponent(controllerPorts),
                new RegistryComponent(ports.next(), url -> {
                    registryUrl = url;
                    writeDescriptor("starting", null);
                })));
        components.addAll(components());
        startComponents(components);
        // printed before lab.json says ready: 'lab up' echoes the supervisor's output until it reads "ready"
        report("lab up (" + config.sites().size() + " sites)", t0);
        writeDescriptor("ready", null);
    }

    // ---- components ------------------------------------------------------------------------

    /** The component whose {@code start} runs on this thread (components start side by side). */
    private final ThreadLocal<LabComponent> currentComponent = new ThreadLocal<>();

    /**
     * Starts every component once the components it {@link LabComponent#startsAfter() starts after} are
     * ready, each on its own thread, and returns when all are ready. If one fails, the ones already
     * starting are waited for (so that none is left running outside the lab's records), those depending
     * on it are not started, and the first failure is thrown.
     */
    private void startComponents(List<LabComponent> components) {
        Map<String, CompletableFuture<Void>> started = new LinkedHashMap<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("lab-start-", 0).factory());
        try {
            for (LabComponent c : components) {
                CompletableFuture<?>[] before = dependencies(c, components).stream().map(started::get)
                        .toArray(CompletableFuture<?>[]::new);
                CompletableFuture<Void> f = CompletableFuture.allOf(before).thenRunAsync(() -> startComponent(c), pool);
                started.put(c.name(), f);
                all.add(f);
            }
            try {
                CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new)).join();
            } catch (java.util.concurrent.CompletionException e) {
                // wait for the rest, then report the first failure in start order
                for (CompletableFuture<Void> f : all) {
                    try {
                        f.join();
                    } catch (java.util.concurrent.CompletionException ignored) {
                        // reported below
                    }
                }
                for (CompletableFuture<Void> f : all) {
                    if (f.isCompletedExceptionally()) {
                        Throwable cause = f.exceptionNow();
                        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                            cause = cause.getCause();
                        }
                        if (cause instanceof RuntimeException r) {
                            throw r;
                        }
                        throw new LabException(cause.getMessage(), cause);
                    }
                }
                throw e;
            }
        } finally {
            pool.shutdown();
        }
    }

    private void startComponent(LabComponent component) {
        long tc = System.nanoTime();
        currentComponent.set(component);
        try {
            component.start(context);
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException(component.name() + " failed to start: " + e.getMessage(), e);
        } finally {
            currentComponent.remove();
        }
        report(component.name() + " ready", tc);
        writeDescriptor("starting", null);
    }

    /** The components {@code c} waits for, among those that will start. */
    static List<String> dependencies(LabComponent c, List<LabComponent> components) {
        List<String> out = new ArrayList<>();
        Set<String> wanted = c.startsAfter();
        for (LabComponent other : components) {
            if (other == c) {
                continue;
            }
            boolean named = wanted.contains(other.name());
            if (named && other.startOrder() >= c.startOrder()) {
                throw new LabException("lab component " + c.name() + " starts after " + other.name()
                        + ", whose start order (" + other.startOrder() + ") is not lower than its own (" + c.startOrder() + ")");
            }
            if (named || (wanted.contains(LabComponent.EVERY_EARLIER) && other.startOrder() < c.startOrder())) {
                out.add(other.name());
            }
        }
        return out;
    }

    private List<LabComponent> components() {
        List<LabComponent> found = new ArrayList<>();
        for (String name : List.of(LabComponent.BROKER, LabComponent.REGISTRY)) {
            if (config.disabledComponents().contains(name)) {
                throw new LabException("the lab's " + name + " cannot be disabled (" + LabConfig.DISABLED_COMPONENTS
                        + "): every other component needs it");
            }
        }
        for (LabComponent c : ServiceLoader.load(LabComponent.class)) {
            if (config.disabledComponents().contains(c.name())) {
                log.info("lab component {} disabled by configuration", c.name());
                continue;
            }
            found.add(c);
        }
        found.sort(Comparator.comparingInt(LabComponent::startOrder).thenComparing(LabComponent::name));
        return found;
    }

    private int currentStopOrder() {
        LabComponent c = currentComponent.get();
        return c == null ? 0 : c.stopOrder();
    }

    private final LabContext context = new LabContext() {
        @Override
        public LabConfig config() {
            return config;
        }

        @Override
        public Path runDir() {
            return config.runDir().toAbsolutePath();
        }

        @Override
        public String registryUrl() {
            return registryUrl;
        }

        @Override
        public List<SiteDescriptor> sites() {
            return List.copyOf(sites);
        }

        @Override
        public List<LinkDescriptor> links() {
            return List.copyOf(links);
        }

        @Override
        public int freePort() {
            return ports.next();
        }

        @Override
        public ManagedProcess launchJava(String component, String site, List<String> jvmArgs, String mainClass,
                                         List<String> args, ManagedProcess.Readiness readiness) {
            ManagedProcess p = startJava(component, site, jvmArgs, mainClass, args, readiness);
            p.awaitReady(config.readyTimeout());
            writeDescriptor("starting", null);
            return p;
        }

        @Override
        public ManagedProcess startJava(String component, String site, List<String> jvmArgs, String mainClass,
                                        List<String> args, ManagedProcess.Readiness readiness) {
            List<String> allJvmArgs = new ArrayList<>(jvmArgs);
            allJvmArgs.add("-Dlogback.configurationFile=" + LabFiles.logback(runDir()));
            return startProcess(component, site, JavaCommand.of(runDir(), allJvmArgs, mainClass, args), readiness);
        }

        @Override
        public ManagedProcess startProcess(String component, String site, List<String> command,
                                           ManagedProcess.Readiness readiness) {
            ManagedProcess p = new ManagedProcess(component, site, command, Map.of(), logFile(component, site), readiness);
            register(p, currentStopOrder());
            p.start();
            return p;
        }

        @Override
        public void report(String what, long sinceNanos) {
            EmbeddedLab.this.report(what, sinceNanos);
        }

        @Override
        public void putService(String site, String key, String url) {
            synchronized (EmbeddedLab.this) {
                site(site).putService(key, url);
                writeDescriptor("starting", null);
            }
        }

        @Override
        public void putLinkControl(String key, String value) {
            synchronized (EmbeddedLab.this) {
                linkControl.put(key, value);
            }
        }

        @Override
        public void onStop(AutoCloseable resource) {
            LabComponent c = currentComponent.get();
            stoppables.add(new Stoppable(currentStopOrder(), c == null ? "resource" : c.name(), resource));
        }
    };

    // ---- Lab -------------------------------------------------------------------------------

    @Override
    public String registryUrl() {
        return registryUrl;
    }

    @Override
    public List<SiteDescriptor> sites() {
        return List.copyOf(sites);
    }

    @Override
    public Path runDir() {
        return config.runDir().toAbsolutePath();
    }

    @Override
    public LabDescriptor descriptor() {
        return descriptor;
    }

    public LabConfig config() {
        return config;
    }

    /** The processes the lab owns, in start order. */
    public List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    /** One process by component and site (site null for shared components). */
    public ManagedProcess process(String component, String site) {
        return processes.stream()
                .filter(p -> p.component().equals(component) && java.util.Objects.equals(p.site(), site))
                .findFirst()
                .orElseThrow(() -> new LabException("the lab runs no " + component
                        + (site == null ? "" : " at site '" + site + "'") + "; running: "
                        + processes.stream().map(ManagedProcess::label).toList()));
    }

    /** Kills a process with SIGKILL, as a crash would. */
    public void kill(String component, String site) {
        process(component, site).kill();
        writeDescriptor(descriptor.state(), null);
    }

    /** Starts a stopped or killed process again and waits until it is ready. */
    public void restart(String component, String site) {
        ManagedProcess p = process(component, site);
        p.stop(Duration.ofSeconds(20));
        p.start();
        p.awaitReady(config.readyTimeout());
        writeDescriptor(descriptor.state(), null);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        record Step(int order, String name, AutoCloseable action) {
        }
        List<Step> steps = new ArrayList<>();
        for (Stoppable s : stoppables) {
            steps.add(new Step(s.order(), s.name(), s.action()));
        }
        for (ManagedProcess p : processes) {
            steps.add(new Step(stopOrders.getOrDefault(p, 0), p.label(), () -> p.stop(Duration.ofSeconds(15))));
        }
        // one stop order after the other; what shares an order (a component's processes at every site,
        // components that stop together) stops side by side
        java.util.TreeMap<Integer, List<Step>> waves = new java.util.TreeMap<>();
        steps.forEach(st -> waves.computeIfAbsent(st.order(), k -> new ArrayList<>()).add(st));
        for (List<Step> wave : waves.values()) {
            List<Thread> stopping = new ArrayList<>();
            for (Step step : wave) {
                stopping.add(Thread.ofPlatform().name("lab-stop-" + step.name()).start(() -> {
                    try {
                        step.action().close();
                    } catch (Exception e) {
                        log.warn("stopping {} failed: {}", step.name(), e.toString());
                    }
                }));
            }
            for (Thread t : stopping) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (control != null) {
            control.stop();
        }
        if (descriptor != null) {
            writeDescriptor("stopped", descriptor.error());
        }
        log.info("lab stopped in {} ms", Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private final Map<ManagedProcess, Integer> stopOrders = new java.util.concurrent.ConcurrentHashMap<>();

    private void register(ManagedProcess p, int stopOrder) {
        processes.add(p);
        stopOrders.put(p, stopOrder);
    }

    private List<LinkDescriptor> outgoingLinks(String site) {
        return links.stream().filter(l -> l.source().equals(site)).toList();
    }

    private void prepareRunDir(Path runDir) {
        try {
            if (Files.isRegularFile(runDir.resolve(LabDescriptor.FILE_NAME))) {
                LabDescriptor old = LabDescriptor.read(runDir);
                if (old.supervisorPid() != null && ProcessHandle.of(old.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)
                        && old.supervisorPid() != ProcessHandle.current().pid()) {
                    throw new LabException("a lab is already running at " + runDir + " (supervisor pid "
                            + old.supervisorPid() + "); stop it with 'netsplit lab down'");
                }
            }
            // a fresh lab: old data would hold another cluster id
            deleteTree(runDir.resolve("sites"));
            Files.createDirectories(LabFiles.registryData(runDir));
            Files.createDirectories(runDir.resolve("logs"));
            Files.writeString(LabFiles.logback(runDir), LOGBACK);
        } catch (IOException e) {
            throw new LabException("cannot prepare run directory " + runDir + ": " + e.getMessage(), e);
        }
    }

    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.kafka" level="WARN"/>
              <logger name="kafka" level="WARN"/>
              <logger name="org.apache.kafka.connect.mirror" level="INFO"/>
              <logger name="org.apache.kafka.streams" level="INFO"/>
              <logger name="io.netsplit" level="INFO"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private Path logFile(String component, String site) {
        return LabFiles.log(config.runDir().toAbsolutePath(), component, site);
    }

    /** Synchronized: components starting side by side write it too. */
    private synchronized void writeDescriptor(String state, String error) {
        List<ProcessDescriptor> ps = processes.stream().map(ManagedProcess::describe).toList();
        descriptor = new LabDescriptor(1, state, error, config.runDir().toAbsolutePath().toString(), registryUrl,
                control == null ? null : control.url(), ProcessHandle.current().pid(), sites, links,
                linkControl, ps);
        descriptor.write(config.runDir().toAbsolutePath());
    }

    private void report(String what, long sinceNanos) {
        String line = String.format(Locale.ROOT, "%-32s %6.1f s", what, (System.nanoTime() - sinceNanos) / 1e9);
        out.println(line);
        log.info("{}", line);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
