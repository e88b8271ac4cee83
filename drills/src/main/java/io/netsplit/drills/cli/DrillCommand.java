package io.netsplit.drills.cli;

import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.ReportWriter;
import io.netsplit.drills.run.DrillRunner;
import io.netsplit.drills.run.LabTarget;
import io.netsplit.drills.run.Replays;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.ScenarioParser;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabConfig;
import io.netsplit.lab.LabLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code drill run} and {@code drill list}. Exit codes of {@code run}: 0 every check passed, 3 the
 * drill ran and a check failed, 1 the drill could not run, 2 invalid manifest or flags.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Run scripted partition drills and list the scenario library.",
        subcommands = {DrillCommand.Run.class, DrillCommand.ListScenarios.class})
public final class DrillCommand {

    /** Exit code of a drill that ran and failed a check. */
    public static final int FAILED_CHECKS = 3;

    /** The scenario library: {@code drills/scenarios} of the netsplit checkout. */
    public static Path library() {
        String home = System.getProperty("netsplit.home");
        Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        Path lib = root.resolve("drills").resolve("scenarios");
        return Files.isDirectory(lib) ? lib : root.resolve("scenarios");
    }

    /** Lab settings that make the reconcilers run the scenario's policy. */
    public static Map<String, String> labSettings(Scenario s, Path runDir) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put(LabConfig.SITES, String.join(",", s.sites()));
        p.put(LabConfig.DIR, runDir.toString());
        p.put("reconcile.policy.default", s.policy().defaultPolicy());
        if (!s.policy().prefixes().isEmpty()) {
            p.put("reconcile.policy.prefixes", String.join(",", s.policy().prefixes().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()));
        }
        p.put("reconcile.site-order", String.join(",", s.policy().siteOrder()));
        p.put("reconcile.authority", String.join(",", s.policy().authority()));
        return p;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a scenario: on its own embedded lab (started and stopped by the drill) unless --lab names a running one.")
    public static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SCENARIO", description = "A manifest file, or the name of a scenario in the library.")
        String scenario;

        @Option(names = "--lab", paramLabel = "DIR", description = "Run against this running lab (or external sites) instead of starting one.")
        Path labDir;

        @Option(names = "--report", paramLabel = "DIR", description = "Where report.json and report.html go (default: drill-reports/<scenario>).")
        Path reportDir;

        @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory of the drill's own lab (default: ~/.netsplit/drills/<scenario>).")
        Path runDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Scenario s = ScenarioParser.parse(resolve(scenario));
            Path report = reportDir != null ? reportDir : Path.of("drill-reports", s.id());
            long t0 = System.nanoTime();
            EmbeddedLab own = null;
            Lab lab;
            if (labDir != null) {
                lab = DescribedLab.open(labDir.toAbsolutePath());
                out.println("drill " + s.id() + ": using the lab at " + lab.runDir());
            } else {
                Path dir = runDir != null ? runDir : LabLocator.defaultDir().resolveSibling("drills").resolve(s.id());
                out.println("drill " + s.id() + ": starting a lab for sites " + s.sites() + " at " + dir);
                out.flush();
                own = EmbeddedLab.start(LabConfig.parse(labSettings(s, dir.toAbsolutePath())), new PrintStream(new WriterStream(out), true));
                lab = own;
            }
            long setupMillis = (System.nanoTime() - t0) / 1_000_000;
            try (LabTarget target = new LabTarget(lab, Replays.forLab(lab, s))) {
                DrillReport r = new DrillRunner(target, out).run(s, setupMillis);
                ReportWriter.write(r, report);
                out.printf(Locale.ROOT, "report: %s (%s)%n", report.resolve("report.json"), report.resolve("report.html"));
                return r.passed() ? 0 : FAILED_CHECKS;
            } finally {
                if (own != null) {
                    long t1 = System.nanoTime();
                    own.close();
                    out.printf(Locale.ROOT, "lab stopped in %.1f s; drill total %.1f s%n", (System.nanoTime() - t1) / 1e9,
                            (System.nanoTime() - t0) / 1e9);
                }
                out.flush();
            }
        }

        private static Path resolve(String scenario) {
            Path p = Path.of(scenario);
            if (Files.isRegularFile(p)) {
                return p;
            }
            Path named = library().resolve(scenario.endsWith(".yaml") ? scenario : scenario + ".yaml");
            if (Files.isRegularFile(named)) {
                return named;
            }
            throw new IllegalArgumentException("no scenario '" + scenario + "': not a file, and not in " + library()
                    + " (see 'drill list')");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The scenario library, one line each.")
    public static final class ListScenarios implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path lib = library();
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no scenario library at " + lib);
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(lib)) {
                files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            }
            for (Path f : files) {
                Scenario s = ScenarioParser.parse(f);
                String d = s.description().replaceAll("\\s+", " ").trim();
                out.printf(Locale.ROOT, "%-26s %-8s %s%n", s.id(), s.sites().size() + " sites", d);
            }
            return 0;
        }
    }

    /** Lab start-up lines go to the command's own writer, so tests capture them like the rest. */
    private static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter out;

        WriterStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
