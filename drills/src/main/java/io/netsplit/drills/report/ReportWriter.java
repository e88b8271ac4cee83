package io.netsplit.drills.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.drills.check.Verdict;
import io.netsplit.kit.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a drill's {@code report.json} and a self-contained {@code report.html}: verdicts, each
 * heal with how long the sites took to converge after it, and a timeline chart (inline SVG, no
 * scripts, no external resources) from the first load step: faults and heals, crashes, writes, lag
 * per link and reconciler, and the moments of convergence.
 */
public final class ReportWriter {

    /** {@code report.json} is a file people read: indented ({@link Json#pretty()}). */
    private static final ObjectMapper JSON = Json.pretty();
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"};

    private ReportWriter() {
    }

    public static void write(DrillReport report, Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("report.json").toFile(), report);
            Files.writeString(dir.resolve("report.html"), html(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drill report to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static DrillReport read(Path dir) {
        try {
            return JSON.readValue(dir.resolve("report.json").toFile(), DrillReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("report.json") + ": " + e.getMessage(), e);
        }
    }

    static String html(DrillReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>drill ").append(esc(r.scenario()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
                        + "td,th{padding:2px 8px;text-align:left;vertical-align:top}.pass{color:#2a7f2a}.fail{color:#c0392b}"
                        + "pre{background:#f6f6f6;padding:6px;margin:0;white-space:pre-wrap}</style></head><body>");
        h.append("<h1>drill ").append(esc(r.scenario())).append(" — <span class=\"").append(r.passed() ? "pass\">PASSED" : "fail\">FAILED")
                .append("</span></h1>");
        h.append("<p>seed ").append(r.seed()).append(" · ").append(seconds(r.totalMillis())).append(" · ")
                .append(r.acknowledgedWrites()).append(" acknowledged writes, ").append(r.failedWrites()).append(" refused");
        if (r.convergedAfterHealMillis() != null && r.lastLinkChange() != null) {
            h.append(" · converged ").append(seconds(r.convergedAfterHealMillis())).append(" after the last link change — ")
                    .append(esc(r.lastLinkChange().label()));
        }
        h.append("</p>");
        h.append(chart(r));
        h.append("<h2>Verdicts</h2><table><tr><th>checker</th><th>verdict</th><th>evidence</th></tr>");
        for (Verdict v : r.verdicts()) {
            h.append("<tr><td>").append(esc(v.checker())).append("</td><td class=\"").append(v.passed() ? "pass\">pass" : "fail\">FAIL")
                    .append(": ").append(esc(v.summary())).append("</td><td><pre>")
                    .append(esc(String.join("\n", v.evidence()))).append("</pre></td></tr>");
        }
        h.append("</table><h2>Heals</h2><table><tr><th>at</th><th>heal</th><th>converged after it</th></tr>");
        for (DrillReport.AfterLinkChange a : r.heals()) {
            h.append("<tr><td>").append(seconds(a.atMillis())).append("</td><td>").append(esc(a.label())).append("</td><td>")
                    .append(a.convergedAfterMillis() == null ? "not seen" : seconds(a.convergedAfterMillis())).append("</td></tr>");
        }
        h.append("</table><h2>Sites</h2><table><tr><th>site</th><th>status</th><th>digest</th></tr>");
        for (Map.Entry<String, String> e : new TreeMap<>(r.status()).entrySet()) {
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(e.getValue())).append("</td><td><code>")
                    .append(esc(r.digests().getOrDefault(e.getKey(), ""))).append("</code></td></tr>");
        }
        h.append("</table><h2>Phases</h2><table>");
        r.phaseMillis().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> h.append("<tr><td>")
                .append(esc(e.getKey())).append("</td><td>").append(seconds(e.getValue())).append("</td></tr>"));
        h.append("</table><h2>Events</h2><table>");
        for (Timeline.Event e : r.events()) {
            h.append("<tr><td>").append(seconds(e.atMillis())).append("</td><td>").append(esc(e.kind())).append("</td><td>")
                    .append(esc(e.label())).append("</td></tr>");
        }
        return h.append("</table></body></html>\n").toString();
    }

    // Chart geometry. Every text is monospace at FONT px, so a label's width is known here and
    // labels can be laid out without overlapping; CHAR_WIDTH is a little above the fonts' 0.6 em.
    static final int FONT = 11;
    static final double CHAR_WIDTH = 6.8;
    static final int LANE_HEIGHT = 15;
    private static final int WIDTH = 1000;
    private static final int SVG_WIDTH = WIDTH + 10;
    private static final int LEFT = 50;
    private static final int PLOT_HEIGHT = 180;
    private static final int WRITES_HEIGHT = 24;
    private static final int BIN_PX = 3;
    private static final double PAD = 3;
    private static final double GAP = 10;
    private static final List<String> MARKERS = List.of("fault", "degrade", "heal", "crash", "restart", "audit-loss", "converged");

    /** A label to place: it belongs to the marker(s) from {@code x1} to {@code x2}. */
    record LabelRequest(double x1, double x2, String text, String color) {
    }

    /** A placed label: its text runs from {@code left} to {@code right}, in {@code lane} (0 is nearest the plot). */
    record PlacedLabel(LabelRequest request, double left, double right, int lane, boolean anchorEnd) {
        double textX() {
            return anchorEnd ? right : left;
        }
    }

    static double textWidth(String text) {
        return text.codePointCount(0, text.length()) * CHAR_WIDTH;
    }

    /**
     * Places labels in lanes so that no two overlap: each starts just right of its marker (or ends
     * just left of it when it would run past {@code maxX}) and goes into the first lane where it keeps
     * {@link #GAP} from the label before it. A label and its marker span are kept together.
     */
    static List<PlacedLabel> layout(List<LabelRequest> requests, double maxX) {
        record Box(PlacedLabel label, double left, double right) {
        }
        List<Box> boxes = new ArrayList<>();
        for (LabelRequest q : requests) {
            double w = textWidth(q.text());
            PlacedLabel text;
            if (q.x1() + PAD + w <= maxX) {
                text = new PlacedLabel(q, q.x1() + PAD, q.x1() + PAD + w, 0, false);
            } else if (q.x1() - PAD - w >= 0) {
                text = new PlacedLabel(q, q.x1() - PAD - w, q.x1() - PAD, 0, true);
            } else {
                // fits on neither side of its marker: as far right as the chart allows
                text = new PlacedLabel(q, Math.max(0, maxX - w), Math.max(0, maxX - w) + w, 0, false);
            }
            boxes.add(new Box(text, Math.min(q.x1(), text.left()), Math.max(q.x2(), text.right())));
        }
        boxes.sort(Comparator.comparingDouble(Box::left));
        List<Double> laneEnds = new ArrayList<>();
        List<PlacedLabel> placed = new ArrayList<>();
        for (Box b : boxes) {
            int lane = 0;
            while (lane < laneEnds.size() && laneEnds.get(lane) + GAP > b.left()) {
                lane++;
            }
            if (lane == laneEnds.size()) {
                laneEnds.add(b.right());
            } else {
                laneEnds.set(lane, b.right());
            }
            PlacedLabel t = b.label();
            placed.add(new PlacedLabel(t.request(), t.left(), t.right(), lane, t.anchorEnd()));
        }
        return placed;
    }

    /**
     * An SVG timeline from the first load step to the last event: label lanes above the plot, cut
     * intervals shaded, fault, heal, crash and convergence markers, lag per link and reconciler,
     * writes per time slice as a band below it, and a legend that wraps.
     */
    static String chart(DrillReport r) {
        long start = r.events().stream().filter(e -> e.kind().equals("phase") && e.label().equals("load and faults"))
                .mapToLong(Timeline.Event::atMillis).findFirst()
                .orElse(r.events().stream().mapToLong(Timeline.Event::atMillis).min().orElse(0));
        long end = Math.max(start + 1, Math.max(
                r.events().stream().mapToLong(Timeline.Event::atMillis).max().orElse(0),
                r.samples().stream().mapToLong(Timeline.Sample::atMillis).max().orElse(0)));
        Scale sx = new Scale(start, end + Math.max(1, (end - start) / 50));

        List<LabelRequest> requests = labelRequests(r, sx);
        List<PlacedLabel> labels = layout(requests, WIDTH);
        int lanes = labels.stream().mapToInt(PlacedLabel::lane).max().orElse(-1) + 1;
        int top = 8 + lanes * LANE_HEIGHT + 6;
        int plotBottom = top + PLOT_HEIGHT;
        int writesTop = plotBottom + 4;
        int axisY = writesTop + WRITES_HEIGHT + 14;

        StringBuilder s = new StringBuilder();
        for (PlacedLabel p : labels) {
            double laneBottom = top - 6 - p.lane() * LANE_HEIGHT;
            LabelRequest q = p.request();
            if (q.x2() > q.x1()) {
                s.append(rect(q.x1(), laneBottom - LANE_HEIGHT + 2, q.x2() - q.x1(), LANE_HEIGHT - 2, "#eeeeee"));
                s.append(line(q.x2(), laneBottom - LANE_HEIGHT + 3, q.x2(), laneBottom, q.color(), 2));
            }
            s.append(line(q.x1(), laneBottom - LANE_HEIGHT + 3, q.x1(), laneBottom, q.color(), 2));
            s.append(text(p.textX(), laneBottom - 3, q.text(), "label", p.anchorEnd() ? "end" : "start"));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
                LEFT, top, WIDTH - LEFT, PLOT_HEIGHT));
        // cut intervals: from a cut to the next heal
        Long cutStart = null;
        for (Timeline.Event e : r.events()) {
            if (e.kind().equals("fault") && cutStart == null) {
                cutStart = e.atMillis();
            } else if (e.kind().equals("heal") && cutStart != null) {
                s.append(rect(sx.x(cutStart), top, sx.x(e.atMillis()) - sx.x(cutStart), PLOT_HEIGHT, "#f3c6c6"));
                cutStart = null;
            }
        }
        if (cutStart != null) {
            s.append(rect(sx.x(cutStart), top, WIDTH - sx.x(cutStart), PLOT_HEIGHT, "#f3c6c6"));
        }
        for (Timeline.Event e : r.events()) {
            if (MARKERS.contains(e.kind())) {
                double x = sx.x(e.atMillis());
                s.append(String.format(Locale.ROOT, "<line class=\"marker %s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                        + "stroke=\"%s\" stroke-width=\"%d\"/>", e.kind(), x, top, x, plotBottom, color(e.kind()),
                        e.kind().equals("converged") ? 2 : 1));
            }
        }
        // lag per series; -1 (cut, unknown) is drawn as 0: the shading says the link is cut
        long maxLag = Math.max(1, r.samples().stream().mapToLong(Timeline.Sample::value).max().orElse(1));
        Map<String, List<Timeline.Sample>> series = seriesOf(r);
        int i = 0;
        for (List<Timeline.Sample> points : series.values()) {
            StringBuilder pts = new StringBuilder();
            for (Timeline.Sample p : points) {
                double y = plotBottom - (double) Math.max(0, p.value()) / maxLag * (PLOT_HEIGHT - 10);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.x(p.atMillis()), y));
            }
            s.append("<polyline fill=\"none\" stroke=\"").append(COLORS[i++ % COLORS.length])
                    .append("\" stroke-width=\"1.5\" points=\"").append(pts.toString().strip()).append("\"/>");
        }
        s.append(text(LEFT - 4, top + FONT, String.valueOf(maxLag), "axis", "end"));
        s.append(text(LEFT - 4, plotBottom, "0", "axis", "end"));
        s.append(writesBand(r, sx, writesTop));
        s.append(text(LEFT - 4, writesTop + WRITES_HEIGHT - 4, "w", "axis", "end"));
        s.append(axis(sx, writesTop + WRITES_HEIGHT, axisY));

        // the legend flows left to right and wraps
        List<String[]> legend = new ArrayList<>();
        legend.add(new String[] {"#f3c6c6", "shaded: link cut"});
        legend.add(new String[] {color("fault"), "cut"});
        legend.add(new String[] {color("degrade"), "latency/bandwidth"});
        legend.add(new String[] {color("heal"), "heal"});
        legend.add(new String[] {color("crash"), "crash/restart/audit loss"});
        legend.add(new String[] {color("converged"), "converged"});
        legend.add(new String[] {"#555", "w: writes per slice (red: refused)"});
        i = 0;
        for (String name : series.keySet()) {
            legend.add(new String[] {COLORS[i++ % COLORS.length], "lag " + name + " (records)"});
        }
        double lx = LEFT;
        int ly = axisY + LANE_HEIGHT + 4;
        for (String[] item : legend) {
            double w = 14 + textWidth(item[1]);
            if (lx + w > WIDTH && lx > LEFT) {
                lx = LEFT;
                ly += LANE_HEIGHT;
            }
            s.append(rect(lx, ly - 9, 10, 10, item[0]));
            s.append(text(lx + 14, ly, item[1], "legend", "start"));
            lx += w + 2 * GAP;
        }
        int height = ly + 8;
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"%d\" role=\"img\" "
                + "aria-label=\"drill timeline\">", SVG_WIDTH, height, FONT) + s + "</svg>";
    }

    /** Drill time (ms) to x: the chart spans from the first load step to just after the last event. */
    private record Scale(long start, long end) {
        double x(long at) {
            return LEFT + (double) (Math.max(start, Math.min(end, at)) - start) / (end - start) * (WIDTH - LEFT);
        }
    }

    /**
     * One label per marker; the markers of one step (a flap labels them {@code <step>: <what>}) that
     * follow one another share one label over their span. A heal's label says when the sites were next
     * seen converged.
     */
    private static List<LabelRequest> labelRequests(DrillReport r, Scale sx) {
        Map<String, Long> healed = new HashMap<>();
        for (DrillReport.AfterLinkChange a : r.heals()) {
            if (a.convergedAfterMillis() != null) {
                healed.put(a.atMillis() + " " + a.label(), a.convergedAfterMillis());
            }
        }
        List<List<Timeline.Event>> groups = new ArrayList<>();
        for (Timeline.Event e : r.events()) {
            if (!MARKERS.contains(e.kind())) {
                continue;
            }
            List<Timeline.Event> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && stepOf(e) != null && stepOf(e).equals(stepOf(last.get(0)))) {
                last.add(e);
            } else {
                groups.add(new ArrayList<>(List.of(e)));
            }
        }
        List<LabelRequest> out = new ArrayList<>();
        for (List<Timeline.Event> g : groups) {
            Timeline.Event first = g.get(0);
            Timeline.Event last = g.get(g.size() - 1);
            Timeline.Event lastHeal = null;
            for (Timeline.Event e : g) {
                lastHeal = e.kind().equals("heal") ? e : lastHeal;
            }
            Long after = lastHeal == null ? null : healed.get(lastHeal.atMillis() + " " + lastHeal.label());
            String text;
            if (g.size() == 1) {
                text = first.label() + (after == null ? "" : ": converged " + seconds(after) + " later");
            } else {
                long heals = g.stream().filter(e -> e.kind().equals("heal")).count();
                String line = first.label().matches(".*\\(line \\d+\\)$") ? first.label().substring(first.label().lastIndexOf(" (")) : "";
                text = stepOf(first) + " ×" + (heals > 0 ? heals : g.size()) + line
                        + (after == null ? "" : ": converged " + seconds(after) + " after the last heal");
            }
            out.add(new LabelRequest(sx.x(first.atMillis()), sx.x(last.atMillis()), text,
                    color(g.size() == 1 ? first.kind() : "fault")));
        }
        return out;
    }

    /** The step part of a label that names one of several events of a step ({@code flap a <-> b: cut 1/5}), else null. */
    private static String stepOf(Timeline.Event e) {
        int colon = e.label().indexOf(": ");
        return colon < 0 ? null : e.label().substring(0, colon);
    }

    /** Writes (grey) and refused writes (red) per slice of {@link #BIN_PX} pixels, as bars. */
    private static String writesBand(DrillReport r, Scale sx, int y) {
        int bins = (WIDTH - LEFT) / BIN_PX;
        int[] written = new int[bins + 1];
        int[] refused = new int[bins + 1];
        for (Timeline.Event e : r.events()) {
            int bin = (int) ((sx.x(e.atMillis()) - LEFT) / BIN_PX);
            if (e.kind().equals("write")) {
                written[bin]++;
            } else if (e.kind().equals("refused")) {
                refused[bin]++;
            }
        }
        int max = 1;
        for (int b = 0; b <= bins; b++) {
            max = Math.max(max, written[b] + refused[b]);
        }
        StringBuilder s = new StringBuilder(rect(LEFT, y, WIDTH - LEFT, WRITES_HEIGHT, "#f8f8f8"));
        for (int b = 0; b <= bins; b++) {
            double hw = (double) written[b] / max * WRITES_HEIGHT;
            double hr = (double) refused[b] / max * WRITES_HEIGHT;
            if (written[b] > 0) {
                s.append(rect(LEFT + b * BIN_PX, y + WRITES_HEIGHT - hw, BIN_PX - 0.5, hw, "#555"));
            }
            if (refused[b] > 0) {
                s.append(rect(LEFT + b * BIN_PX, y + WRITES_HEIGHT - hw - hr, BIN_PX - 0.5, hr, "#c0392b"));
            }
        }
        return s.toString();
    }

    /** Ticks at round seconds of drill time (as the transcript stamps them), at most about ten. */
    private static String axis(Scale sx, int y, int labelY) {
        long span = sx.end() - sx.start();
        long step = 1000;
        for (long candidate : new long[] {1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000}) {
            step = candidate;
            if (span / candidate <= 10) {
                break;
            }
        }
        StringBuilder s = new StringBuilder();
        for (long t = (sx.start() + step - 1) / step * step; t <= sx.end(); t += step) {
            double x = sx.x(t);
            s.append(line(x, y, x, y + 4, "#999", 1));
            if (x + textWidth(seconds(t)) / 2 <= SVG_WIDTH) {
                s.append(text(x, labelY, seconds(t), "axis", "middle"));
            }
        }
        return s.toString();
    }

    private static String color(String kind) {
        return switch (kind) {
            case "fault" -> "#c0392b";
            case "degrade" -> "#e67e22";
            case "heal" -> "#27ae60";
            case "converged" -> "#1e6b1e";
            default -> "#8e44ad";
        };
    }

    private static Map<String, List<Timeline.Sample>> seriesOf(DrillReport r) {
        Map<String, List<Timeline.Sample>> out = new LinkedHashMap<>();
        for (Timeline.Sample p : r.samples()) {
            out.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    private static String rect(double x, double y, double width, double height, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                x, y, Math.max(1, width), height, fill);
    }

    private static String line(double x1, double y1, double x2, double y2, String color, int width) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%d\"/>",
                x1, y1, x2, y2, color, width);
    }

    /** A text of the chart, of class {@code cls}; {@code anchor} is start, middle or end. */
    private static String text(double x, double y, String t, String cls, String anchor) {
        return String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", cls, x, y, anchor, esc(t));
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
