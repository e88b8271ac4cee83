package io.netsplit.drills.it;

import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.ReportWriter;
import io.netsplit.drills.run.DrillRunner;
import io.netsplit.drills.run.LabTarget;
import io.netsplit.drills.run.Replays;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.ScenarioParser;
import io.netsplit.drills.step.Kill;
import io.netsplit.drills.step.Restart;
import io.netsplit.lab.Lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs a library scenario against a test's lab; keeps the transcript and writes the report under target/. */
final class DrillHarness {

    record Outcome(DrillReport report, String transcript) {
        String failures() {
            return report.verdicts().stream().filter(v -> !v.passed())
                    .map(v -> v.checker() + ": " + v.summary() + " " + v.evidence())
                    .collect(Collectors.joining("\n")) + "\n--- transcript ---\n" + transcript;
        }

        Verdict verdict(String checker) {
            return report.verdicts().stream().filter(v -> v.checker().equals(checker)).findFirst()
                    .orElseThrow(() -> new AssertionError("no verdict " + checker + " in " + report.verdicts()));
        }
    }

    private DrillHarness() {
    }

    /** The sites of the shared lab {@code DrillLibraryIT} runs on (the failsafe default). */
    static final Set<String> TWO_SITES = Set.of("us-east", "eu-west");
    /** The sites of the lab of the {@code three-sites} failsafe execution ({@code ThreeSitesIT}). */
    static final Set<String> THREE_SITES = Set.of("us-east", "eu-west", "ap-south");

    static Scenario scenario(String name) {
        return ScenarioParser.parse(Path.of("scenarios", name + ".yaml"));
    }

    /**
     * The names of every manifest in {@code drills/scenarios/} whose sites are exactly {@code sites}:
     * by name, except that scenarios which kill or restart a process come last, so a restarted
     * process never carries into another scenario on the shared lab.
     */
    static List<String> library(Set<String> sites) {
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted()
                    .map(ScenarioParser::parse)
                    .filter(s -> Set.copyOf(s.sites()).equals(sites))
                    .sorted(Comparator.comparing(DrillHarness::crashes))
                    .map(Scenario::id)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean crashes(Scenario s) {
        return s.steps().stream().anyMatch(step -> step instanceof Kill || step instanceof Restart);
    }

    static Outcome run(Lab lab, Scenario s) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        DrillReport report;
        try (LabTarget target = new LabTarget(lab, Replays.forLab(lab, s))) {
            report = new DrillRunner(target, out).run(s, 0);
        }
        ReportWriter.write(report, Path.of("target", "drill-reports", s.id()));
        System.out.println(text);
        return new Outcome(report, text.toString());
    }
}
