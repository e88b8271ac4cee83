package io.netsplit.drills.report;

import io.netsplit.drills.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    @Test
    void writesJsonThatReadsBackAndASelfContainedHtmlTimeline(@TempDir Path dir) throws Exception {
        DrillReport report = new DrillReport("golden-path", 42, false, 12_000, 1_500L,
                Map.of("load", 3_000L, "settle", 2_000L), 8, 0,
                Map.of("us-east", "abc", "eu-west", "abd"),
                Map.of("us-east", "conflicts=1 merged=1 pending=0"),
                List.of(Verdict.fail("convergence", "sites differ", List.of("user<script>42 differs"))),
                List.of(new Timeline.Event(1_000, "fault", "isolate us-east eu-west"),
                        new Timeline.Event(2_000, "write", "us-east user42"),
                        new Timeline.Event(5_000, "heal", "heal us-east eu-west"),
                        new Timeline.Event(6_500, "converged", "digests equal")),
                List.of(new Timeline.Sample(1_000, "us-east->eu-west", 0), new Timeline.Sample(4_000, "us-east->eu-west", 7)));

        ReportWriter.write(report, dir);

        assertThat(ReportWriter.read(dir)).isEqualTo(report);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<svg", "polyline", "converged", "FAILED", "user&lt;script&gt;42")
                .doesNotContain("<script", "src=\"http", "href=\"http");
    }
}
