package io.netsplit.health.cli;

import io.netsplit.health.HealthChecker;
import io.netsplit.health.HealthClient;
import io.netsplit.health.HealthConfig;
import io.netsplit.health.HealthLabComponent;
import io.netsplit.health.HealthReport;
import io.netsplit.health.HealthStatus;
import io.netsplit.health.HealthText;
import io.netsplit.health.internal.Json;
import io.netsplit.kit.Pause;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabLocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code netsplit health} and {@code reconcilectl health}: the consistency status of the sites with its
 * evidence, from the running checker (the lab's {@code health} service, or {@code --url}); without one, a
 * one-off check in this process. {@code --watch} prints every status change; {@code check-now} forces a
 * check. Exit codes: 0 healthy, 3 degraded, 4 partitioned, 5 diverged; 1 when no check could be made, 2
 * bad usage.
 */
@Command(name = "health", mixinStandardHelpOptions = true, subcommands = HealthCommand.CheckNow.class,
        description = {"Are the sites in step? healthy, degraded, partitioned or diverged, with the evidence.",
                "Exit codes: 0 healthy, 3 degraded, 4 partitioned, 5 diverged, 1 no check possible, 2 bad usage."})
public final class HealthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--lab", paramLabel = "DIR",
            description = "The lab (or external sites) to check: a directory with lab.json (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
    Path lab;

    @Option(names = "--url", paramLabel = "URL", description = "A running checker's HTTP API (default: the lab's health service).")
    String url;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--watch", description = "Keep watching: print the report, then one block per status change.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often --watch asks the checker (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop watching after this long (default: until interrupted).")
    Duration watchFor;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<HealthClient> client = client();
        if (client.isEmpty()) {
            if (watch) {
                throw new IllegalStateException("no health checker runs for this lab (no 'health' service in lab.json); "
                        + "start the lab with the health module, or pass --url");
            }
            return print(out, oneOff());
        }
        HealthReport report = client.get().current();
        int code = print(out, report);
        if (!watch) {
            return code;
        }
        long deadline = watchFor == null ? Long.MAX_VALUE : System.nanoTime() + watchFor.toNanos();
        HealthStatus last = report.status();
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.max(50, Math.min(interval.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            report = client.get().current();
            if (report.status() != last) {
                out.println();
                code = print(out, report);
                last = report.status();
            }
        }
        return code;
    }

    private Optional<HealthClient> client() {
        if (url != null) {
            return Optional.of(new HealthClient(url));
        }
        return descriptor().sites().stream().map(s -> s.service(HealthLabComponent.NAME)).flatMap(Optional::stream)
                .findFirst().map(HealthClient::new);
    }

    private LabDescriptor descriptor() {
        return DescribedLab.open(LabLocator.resolve(lab).toAbsolutePath()).descriptor();
    }

    /** Without a running checker: check from this process often enough for the thresholds to apply. */
    private HealthReport oneOff() {
        HealthConfig config = HealthConfig.of(Map.of(HealthConfig.INTERVAL_MS, "500", HealthConfig.STATUS_TOPIC, ""));
        try (HealthChecker checker = new HealthChecker(config, descriptor())) {
            HealthReport r = null;
            int rounds = Math.max(config.failureThreshold(), config.divergenceConfirmations()) + 1;
            for (int i = 0; i < rounds; i++) {
                r = checker.checkNow();
                if (i + 1 < rounds && !Pause.sleep(config.interval())) {
                    throw new IllegalStateException("interrupted");
                }
            }
            return r;
        }
    }

    private int print(PrintWriter out, HealthReport report) throws Exception {
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            HealthText.lines(report).forEach(out::println);
        }
        out.flush();
        return report.status().exitCode();
    }

    /** {@code netsplit health check-now}: the running checker checks at once and answers with that report. */
    @Command(name = "check-now", mixinStandardHelpOptions = true,
            description = "Force an immediate check by the running checker and print its report (same exit codes).")
    static final class CheckNow implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @CommandLine.ParentCommand
        HealthCommand parent;

        @Override
        public Integer call() throws Exception {
            HealthClient client = parent.client().orElseThrow(() -> new IllegalStateException(
                    "no health checker runs for this lab (no 'health' service in lab.json); pass --url"));
            return parent.print(spec.commandLine().getOut(), client.checkNow());
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 2s or 1m");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }
}
