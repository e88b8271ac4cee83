package io.netsplit.drills.it;

import io.netsplit.drills.report.DrillReport;
import io.netsplit.drills.report.ReportWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headline figure of a drill, read the way a user reads it: the transcript's "converged X s after
 * the last link change" is at least the "await converged after Y s" that followed the scenario's own
 * heal, and {@code report.json} and {@code report.html} say the same X.
 */
final class DrillTimings {

    private static final Pattern HEADLINE = Pattern.compile("result\\s+converged (\\d+\\.\\d) s after the last link change");
    private static final Pattern AWAIT = Pattern.compile("await\\s+converged after (\\d+\\.\\d) s");

    private DrillTimings() {
    }

    static void assertHonest(String transcript, Path reportDir) throws IOException {
        Matcher headline = HEADLINE.matcher(transcript);
        assertThat(headline.find()).as("the transcript's headline figure in\n%s", transcript).isTrue();
        double converged = Double.parseDouble(headline.group(1));
        Matcher await = AWAIT.matcher(transcript);
        double lastAwait = -1;
        while (await.find()) {
            lastAwait = Double.parseDouble(await.group(1));
        }
        assertThat(lastAwait).as("an 'await converged' step in\n%s", transcript).isGreaterThanOrEqualTo(0);
        assertThat(converged).as("converged after the last link change vs the await that followed it")
                .isGreaterThanOrEqualTo(lastAwait);

        DrillReport report = ReportWriter.read(reportDir);
        assertThat(report.convergedAfterHealMillis()).isNotNull();
        String fromJson = String.format(Locale.ROOT, "%.1f", report.convergedAfterHealMillis() / 1000.0);
        assertThat(fromJson).as("report.json's figure").isEqualTo(headline.group(1));
        assertThat(Files.readString(reportDir.resolve("report.html"), StandardCharsets.UTF_8))
                .as("report.html's figure").contains("converged " + fromJson + " s after the last link change");
    }
}
