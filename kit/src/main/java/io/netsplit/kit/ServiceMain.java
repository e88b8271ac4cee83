package io.netsplit.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one way to write a service's {@code main}:
 *
 * <pre>
 * SERVICE [--config FILE] [--set KEY=VALUE]... | --list-config | --help | --version
 * </pre>
 *
 * {@code --config} reads a properties file, {@code --set} (repeatable) wins over it; {@code --list-config} prints every
 * key of the service's {@link ConfigDef} with its default (or "required") and doc. Bad arguments or configuration end
 * it with one line {@code <service>: <message>} on stderr and exit code {@value #EXIT_USAGE}; a failure to start (or
 * any later failure) with exit code {@value #EXIT_FAILED}. A service may end with codes of its own (the site-writer's
 * fenced exit).
 *
 * <pre>
 * public static void main(String[] args) {
 *     ServiceMain.of("health", "The health checker.", HealthConfig.configDef(), HealthConfig::new)
 *             .run((config, context) -&gt; context.runUntilStopped(HealthService.start(config)))
 *             .main(args);
 * }
 * </pre>
 *
 * @param <C> the service's parsed configuration
 */
public final class ServiceMain<C> {

    /** Stopped normally. */
    public static final int EXIT_OK = 0;
    /** Could not start, or failed while running. */
    public static final int EXIT_FAILED = 1;
    /** Bad arguments or configuration. */
    public static final int EXIT_USAGE = 2;

    /** What the service does once configured: start, then (usually) {@link Context#runUntilStopped}. */
    @FunctionalInterface
    public interface Body<C> {
        /** Runs the service; the value is the exit code. */
        int run(C config, Context context) throws Exception;
    }

    private final String name;
    private final String description;
    private final ConfigDef configDef;
    private final Function<Map<String, String>, C> configure;
    private final Body<C> body;

    private ServiceMain(String name, String description, ConfigDef configDef, Function<Map<String, String>, C> configure,
                        Body<C> body) {
        this.name = Objects.requireNonNull(name);
        this.description = Objects.requireNonNull(description);
        this.configDef = Objects.requireNonNull(configDef);
        this.configure = Objects.requireNonNull(configure);
        this.body = body;
    }

    /**
     * A service named {@code name} (the prefix of its error lines), whose keys are {@code configDef} and whose
     * configuration {@code configure} parses from the settings (throwing {@link ConfigException} or
     * {@link IllegalArgumentException} naming a bad key).
     */
    public static <C> ServiceMain<C> of(String name, String description, ConfigDef configDef,
                                        Function<Map<String, String>, C> configure) {
        return new ServiceMain<>(name, description, configDef, configure, null);
    }

    /** This service, running {@code body} once configured. */
    public ServiceMain<C> run(Body<C> body) {
        return new ServiceMain<>(name, description, configDef, configure, Objects.requireNonNull(body));
    }

    /** Runs with {@code args} and exits the JVM with the exit code. */
    public void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs with {@code args} on the process's stdout and stderr; the exit code. */
    public int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs with {@code args}, writing to {@code out} and {@code err}; the exit code. */
    public int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine(out, err);
        return cmd.execute(args);
    }

    /** The settings {@code args} name: the {@code --config} file, then every {@code --set}; for tests and tools. */
    public Map<String, String> settings(String... args) {
        Options options = new Options();
        new CommandLine(options).setExpandAtFiles(false).parseArgs(args);
        try {
            return options.settings();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Options options = new Options();
        CommandLine cmd = new CommandLine(options);
        cmd.setCommandName(name);
        cmd.getCommandSpec().usageMessage().description(description);
        cmd.getCommandSpec().version(name + " " + version());
        cmd.setExpandAtFiles(false);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((e, args) -> {
            err.println(name + ": " + oneLine(e.getMessage()) + " (see --help)");
            err.flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            err.println(name + ": " + oneLine(message(e)));
            err.flush();
            return e instanceof ConfigException ? EXIT_USAGE : EXIT_FAILED;
        });
        options.service = this;
        options.out = out;
        options.err = err;
        return cmd;
    }

    private int call(Options options) throws Exception {
        if (options.listConfig) {
            listConfig(options.out);
            return EXIT_OK;
        }
        C config;
        try {
            config = configure.apply(options.settings());
        } catch (ConfigException | IllegalArgumentException | IOException e) {
            options.err.println(name + ": " + oneLine(message(e)));
            options.err.flush();
            return EXIT_USAGE;
        }
        if (body == null) {
            throw new IllegalStateException(name + " has no body: call run(...) before main(...)");
        }
        return body.run(config, new Context(name, options.out, options.err));
    }

    private void listConfig(PrintWriter out) {
        for (ConfigDef.ConfigKey key : configDef.configKeys().values()) {
            out.printf("%s (default: %s)%n    %s%n", key.name,
                    key.hasDefault() ? String.valueOf(key.defaultValue) : "required", key.documentation);
        }
        out.flush();
    }

    private static String version() {
        String v = ServiceMain.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    private static String message(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    static String oneLine(String message) {
        return message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** What a running service gets: its output and the wait for SIGTERM. */
    public static final class Context {

        private final String name;
        private final PrintWriter out;
        private final PrintWriter err;

        Context(String name, PrintWriter out, PrintWriter err) {
            this.name = name;
            this.out = out;
            this.err = err;
        }

        /** The service's name, as in its error lines. */
        public String name() {
            return name;
        }

        public PrintWriter out() {
            return out;
        }

        public PrintWriter err() {
            return err;
        }

        /** Waits until the JVM shuts down (SIGTERM), then closes {@code service}; {@link #EXIT_OK}. */
        public int runUntilStopped(AutoCloseable service) throws InterruptedException {
            return runUntilStopped(service, () -> true, "");
        }

        /**
         * As {@link #runUntilStopped(AutoCloseable)}, but checks {@code alive} every second: once it is false, prints
         * {@code <service>: <whyDead>} and answers {@link #EXIT_FAILED}, so a supervisor restarts the service.
         */
        public int runUntilStopped(AutoCloseable service, BooleanSupplier alive, String whyDead)
                throws InterruptedException {
            CountDownLatch stopping = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.countDown();
                try {
                    service.close();
                } catch (Exception e) {
                    err.println(name + ": closing: " + oneLine(message(e)));
                    err.flush();
                } finally {
                    stopped.countDown();
                }
            }, name + "-shutdown"));
            while (!stopping.await(1, TimeUnit.SECONDS)) {
                if (!alive.getAsBoolean()) {
                    err.println(name + ": " + whyDead);
                    err.flush();
                    return EXIT_FAILED;
                }
            }
            stopped.await(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
            return EXIT_OK;
        }
    }

    @Command(mixinStandardHelpOptions = true, sortOptions = false)
    static final class Options implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "Properties file with the service's configuration keys (see --list-config).")
        Path configFile;

        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
                description = "A configuration key, e.g. --set site=us-east; repeatable; wins over --config.")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = "--list-config",
                description = "Print every configuration key with its default and doc, then exit.")
        boolean listConfig;

        ServiceMain<?> service;
        PrintWriter out;
        PrintWriter err;

        Map<String, String> settings() throws IOException {
            Map<String, String> props = new LinkedHashMap<>();
            if (configFile != null) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(configFile)) {
                    p.load(in);
                }
                for (String key : p.stringPropertyNames()) {
                    props.put(key, p.getProperty(key));
                }
            }
            props.putAll(set);
            return props;
        }

        @Override
        public Integer call() throws Exception {
            return service.call(this);
        }
    }
}
