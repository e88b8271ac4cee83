package io.netsplit.drills.report;

import io.netsplit.drills.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    private static final Pattern TEXT = Pattern.compile(
            "<text class=\"([a-z]+)\" x=\"([\\d.-]+)\" y=\"([\\d.-]+)\" text-anchor=\"([a-z]+)\">([^<]*)</text>");
    private static final Pattern MARKER = Pattern.compile("<line class=\"marker ([a-z-]+)\" x1=\"([\\d.]+)\"");
    private static final Pattern SVG_WIDTH = Pattern.compile("<svg [^>]*width=\"(\\d+)\"");

    /** A text of the chart as a box: monospace, so its width is its length in characters. */
    record Box(String cls, String text, double left, double right, double top, double bottom) {
        boolean overlaps(Box o) {
            return left < o.right && o.left < right && top < o.bottom && o.top < bottom;
        }
    }

    static List<Box> texts(String svg) {
        List<Box> out = new ArrayList<>();
        Matcher m = TEXT.matcher(svg);
        while (m.find()) {
            String text = m.group(5).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
            double x = Double.parseDouble(m.group(2));
            double y = Double.parseDouble(m.group(3));
            double w = ReportWriter.textWidth(text);
            double left = switch (m.group(4)) {
                case "end" -> x - w;
                case "middle" -> x - w / 2;
                default -> x;
            };
            out.add(new Box(m.group(1), text, left, left + w, y - ReportWriter.FONT, y + 3));
        }
        return out;
    }

    static DrillReport report(List<Timeline.Event> events, List<Timeline.Sample> samples, List<DrillReport.AfterLinkChange> heals,
                              DrillReport.AfterLinkChange last) {
        return new DrillReport("golden-path", 42, false, 40_000, last == null ? null : last.convergedAfterMillis(), last, heals,
                Map.of("2-load-and-faults", 3_000L, "4-settle", 2_000L), 8, 0,
                Map.of("us-east", "abc", "eu-west", "abd"),
                Map.of("us-east", "conflicts=1 merged=1 pending=0"),
                List.of(Verdict.fail("convergence", "sites differ", List.of("user<script>42 differs"))), events, samples);
    }

    @Test
    void writesJsonThatReadsBackAndASelfContainedHtmlTimeline(@TempDir Path dir) throws Exception {
        DrillReport.AfterLinkChange heal = new DrillReport.AfterLinkChange(5_000, "heal us-east <-> eu-west (line 14)", 1_500L);
        DrillReport report = report(
                List.of(new Timeline.Event(1_000, "fault", "isolate us-east <-> eu-west (line 11)"),
                        new Timeline.Event(2_000, "write", "us-east user42 us-east:6"),
                        new Timeline.Event(5_000, "heal", "heal us-east <-> eu-west (line 14)"),
                        new Timeline.Event(6_500, "converged", "converged (await, line 15)")),
                List.of(new Timeline.Sample(1_000, "us-east->eu-west", 0), new Timeline.Sample(4_000, "us-east->eu-west", 7)),
                List.of(heal), heal);

        ReportWriter.write(report, dir);

        assertThat(ReportWriter.read(dir)).isEqualTo(report);
        String json = Files.readString(dir.resolve("report.json"));
        assertThat(json).contains("\"convergedAfterHealMillis\" : 1500", "\"lastLinkChange\"", "\"heals\"", "\"convergedAfterMillis\" : 1500");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<svg", "polyline", "FAILED", "user&lt;script&gt;42",
                        "converged 1.5 s after the last link change — heal us-east &lt;-&gt; eu-west (line 14)",
                        // the heal marker's label says how long convergence took after it
                        ">heal us-east &lt;-&gt; eu-west (line 14): converged 1.5 s later</text>")
                .doesNotContain("<script", "src=\"http", "href=\"http");
    }

    @Test
    void theTimelineStartsAtTheFirstLoadStepNotAtSetup() {
        // Given a drill whose load began 25 s into the runner's clock
        DrillReport report = report(
                List.of(new Timeline.Event(25_000, "phase", "load and faults"),
                        new Timeline.Event(25_000, "fault", "isolate us-east <-> eu-west (line 11)"),
                        new Timeline.Event(28_000, "heal", "heal us-east <-> eu-west (line 14)"),
                        new Timeline.Event(30_000, "converged", "converged (settle)")),
                List.of(new Timeline.Sample(28_500, "us-east->eu-west", 4)), List.of(), null);

        String svg = ReportWriter.chart(report);

        Matcher first = MARKER.matcher(svg);
        assertThat(first.find()).isTrue();
        assertThat(first.group(1)).isEqualTo("fault");
        assertThat(Double.parseDouble(first.group(2))).isEqualTo(50.0); // the plot's left edge
        assertThat(texts(svg)).filteredOn(b -> b.cls().equals("axis")).extracting(Box::text)
                .contains("26.0 s", "30.0 s").doesNotContain("0.0 s", "10.0 s", "20.0 s");
    }

    @Test
    void noTwoTextsOfACrowdedTimelineOverlapAndTheLegendWraps(@TempDir Path dir) throws Exception {
        // Given a crowded drill: an isolate and a heal 0.1 s apart, a flap, two kills at once, a
        // restart, two convergences 50 ms apart, a burst of writes, and seven lag series
        List<Timeline.Event> events = new ArrayList<>();
        List<DrillReport.AfterLinkChange> heals = new ArrayList<>();
        events.add(new Timeline.Event(20_000, "phase", "load and faults"));
        events.add(new Timeline.Event(20_000, "fault", "isolate us-east <-> eu-west (line 11)"));
        for (int i = 0; i < 200; i++) {
            events.add(new Timeline.Event(20_000 + i * 5, "write", "us-east k" + i + " us-east:" + i));
        }
        events.add(new Timeline.Event(20_100, "heal", "heal us-east <-> eu-west (line 12)"));
        heals.add(new DrillReport.AfterLinkChange(20_100, "heal us-east <-> eu-west (line 12)", 2_100L));
        events.add(new Timeline.Event(22_200, "converged", "converged (await, line 13)"));
        for (int n = 1; n <= 5; n++) {
            long at = 23_000 + (n - 1) * 400L;
            events.add(new Timeline.Event(at, "fault", "flap us-east <-> eu-west: cut " + n + "/5 (line 14)"));
            events.add(new Timeline.Event(at + 200, "heal", "flap us-east <-> eu-west: heal " + n + "/5 (line 14)"));
            heals.add(new DrillReport.AfterLinkChange(at + 200, "flap us-east <-> eu-west: heal " + n + "/5 (line 14)", 26_000 - at - 200));
        }
        events.add(new Timeline.Event(25_100, "crash", "kill reconciler@us-east (line 15)"));
        events.add(new Timeline.Event(25_100, "crash", "kill mirror@us-east (line 16)"));
        events.add(new Timeline.Event(25_300, "restart", "restart reconciler@us-east (line 17)"));
        events.add(new Timeline.Event(25_950, "converged", "converged (await, line 18)"));
        events.add(new Timeline.Event(26_000, "converged", "converged (settle)"));
        events.add(new Timeline.Event(26_000, "refused", "eu-west k1: 503"));
        List<Timeline.Sample> samples = new ArrayList<>();
        List<String> series = List.of("us-east->eu-west", "eu-west->us-east", "us-east->ap-south", "ap-south->us-east",
                "reconciler@us-east", "reconciler@eu-west", "reconciler@ap-south");
        Random random = new Random(1);
        for (int t = 20_000; t <= 26_000; t += 50) {
            for (String s : series) {
                samples.add(new Timeline.Sample(t, s, random.nextInt(40)));
            }
        }
        DrillReport report = report(events, samples, heals, heals.get(heals.size() - 1));

        String svg = ReportWriter.chart(report);
        // kept for a look in a browser: target/report-samples/crowded/report.html
        ReportWriter.write(report, Path.of("target", "report-samples", "crowded"));

        List<Box> texts = texts(svg);
        for (int i = 0; i < texts.size(); i++) {
            for (int j = i + 1; j < texts.size(); j++) {
                assertThat(texts.get(i).overlaps(texts.get(j))).as(texts.get(i) + " overlaps " + texts.get(j)).isFalse();
            }
        }
        Matcher width = SVG_WIDTH.matcher(svg);
        assertThat(width.find()).isTrue();
        assertThat(texts).allSatisfy(b -> assertThat(b.right()).isLessThanOrEqualTo(Double.parseDouble(width.group(1))));
        assertThat(texts.stream().filter(b -> b.cls().equals("legend")).map(Box::top).distinct()).as("legend rows").hasSizeGreaterThan(1);
        // the flap is one label over its span, and both kills are labelled
        assertThat(texts).extracting(Box::text).contains(
                "flap us-east <-> eu-west ×5 (line 14): converged 1.2 s after the last heal",
                "kill reconciler@us-east (line 15)", "kill mirror@us-east (line 16)",
                "heal us-east <-> eu-west (line 12): converged 2.1 s later")
                .noneMatch(t -> t.startsWith("flap us-east <-> eu-west: cut"));
    }

    @Test
    void theLayoutPutsOverlappingLabelsInSeparateLanes() {
        Random random = new Random(42);
        List<ReportWriter.LabelRequest> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double x = 50 + random.nextDouble() * 870;
            requests.add(new ReportWriter.LabelRequest(x, x + (i % 5 == 0 ? random.nextDouble() * 80 : 0),
                    "label " + "x".repeat(random.nextInt(30)), "#000"));
        }

        List<ReportWriter.PlacedLabel> placed = ReportWriter.layout(requests, 1000);

        assertThat(placed).hasSize(requests.size()).allSatisfy(p -> {
            assertThat(p.right()).isLessThanOrEqualTo(1000);
            assertThat(p.right() - p.left()).isEqualTo(ReportWriter.textWidth(p.request().text()), org.assertj.core.data.Offset.offset(1e-9));
        });
        for (ReportWriter.PlacedLabel a : placed) {
            for (ReportWriter.PlacedLabel b : placed) {
                if (a != b && a.lane() == b.lane()) {
                    double aLeft = Math.min(a.left(), a.request().x1());
                    double aRight = Math.max(a.right(), a.request().x2());
                    double bLeft = Math.min(b.left(), b.request().x1());
                    double bRight = Math.max(b.right(), b.request().x2());
                    assertThat(aRight <= bLeft || bRight <= aLeft).as(a + " and " + b + " share a lane and overlap").isTrue();
                }
            }
        }
    }
}
