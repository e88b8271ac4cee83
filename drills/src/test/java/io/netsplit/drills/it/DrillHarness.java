package io.netsplit.drills.it;

import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.ReportWriter;
import io.netsplit.drills.run.DrillRunner;
import io.netsplit.drills.run.LabTarget;
import io.netsplit.drills.run.Replays;
import io.netsplit.drills.scenario.Scenario;
import io.netsplit.drills.scenario.ScenarioParser;
import io.netsplit.lab.Lab;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Collectors;

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

    static Scenario scenario(String name) {
        return ScenarioParser.parse(Path.of("scenarios", name + ".yaml"));
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
