package io.netsplit.drills.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netsplit.drills.check.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a drill's {@code report.json} and a self-contained {@code report.html}: verdicts, and a
 * timeline chart (inline SVG, no scripts, no external resources) of faults, writes, lag per link
 * and the moment of convergence.
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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
        if (r.convergedAfterHealMillis() != null) {
            h.append(" · converged ").append(seconds(r.convergedAfterHealMillis())).append(" after the last heal");
        }
        h.append("</p>");
        h.append(chart(r));
        h.append("<h2>Verdicts</h2><table><tr><th>checker</th><th>verdict</th><th>evidence</th></tr>");
        for (Verdict v : r.verdicts()) {
            h.append("<tr><td>").append(esc(v.checker())).append("</td><td class=\"").append(v.passed() ? "pass\">pass" : "fail\">FAIL")
                    .append(": ").append(esc(v.summary())).append("</td><td><pre>")
                    .append(esc(String.join("\n", v.evidence()))).append("</pre></td></tr>");
        }
        h.append("</table><h2>Sites</h2><table><tr><th>site</th><th>status</th><th>digest</th></tr>");
        for (Map.Entry<String, String> e : r.status().entrySet()) {
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

    /** An SVG timeline: fault intervals shaded, writes as ticks, lag series as lines, convergence as a line. */
    static String chart(DrillReport r) {
        int w = 1000;
        int h = 260;
        int left = 50;
        int top = 20;
        int plotH = 180;
        long end = Math.max(1, r.totalMillis());
        long maxLag = Math.max(1, r.samples().stream().mapToLong(Timeline.Sample::value).max().orElse(1));
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w + 20).append("\" height=\"").append(h + 40)
                .append("\" role=\"img\" aria-label=\"drill timeline\">");
        s.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(w - left)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#999\"/>");
        // fault intervals: from each fault to the next heal
        Long cutStart = null;
        for (Timeline.Event e : r.events()) {
            if (e.kind().equals("fault") && cutStart == null) {
                cutStart = e.atMillis();
            } else if (e.kind().equals("heal") && cutStart != null) {
                s.append(rect(x(cutStart, end, left, w), top, x(e.atMillis(), end, left, w) - x(cutStart, end, left, w), plotH));
                cutStart = null;
            }
        }
        if (cutStart != null) {
            s.append(rect(x(cutStart, end, left, w), top, w - x(cutStart, end, left, w), plotH));
        }
        for (Timeline.Event e : r.events()) {
            double x = x(e.atMillis(), end, left, w);
            switch (e.kind()) {
                case "write" -> s.append(line(x, top + plotH - 8, x, top + plotH, "#555", 1));
                case "converged" -> s.append(line(x, top, x, top + plotH, "#2a7f2a", 2))
                        .append(text(x + 3, top + 12, "converged"));
                case "crash", "restart" -> s.append(line(x, top, x, top + plotH, "#c0392b", 1))
                        .append(text(x + 3, top + 24, e.kind()));
                default -> {
                }
            }
        }
        int i = 0;
        int legendY = top + plotH + 32;
        for (Map.Entry<String, List<Timeline.Sample>> series : seriesOf(r).entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (Timeline.Sample p : series.getValue()) {
                double y = top + plotH - (double) p.value() / maxLag * (plotH - 10);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.atMillis(), end, left, w), y));
            }
            s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                    .append(pts).append("\"/>");
            s.append(text(left + i * 220, legendY, "■ lag " + series.getKey()).replace("<text ", "<text fill=\"" + color + "\" "));
            i++;
        }
        s.append(text(4, top + 10, String.valueOf(maxLag))).append(text(4, top + plotH, "0"));
        s.append(text(left, top + plotH + 14, "0 s")).append(text(w - 40, top + plotH + 14, seconds(end)));
        s.append(text(left + 60, top + plotH + 14, "shaded: link cut · ticks: writes · lines: lag (records)"));
        return s.append("</svg>").toString();
    }

    private static Map<String, List<Timeline.Sample>> seriesOf(DrillReport r) {
        Map<String, List<Timeline.Sample>> out = new java.util.LinkedHashMap<>();
        for (Timeline.Sample p : r.samples()) {
            out.computeIfAbsent(p.series(), k -> new java.util.ArrayList<>()).add(p);
        }
        return out;
    }

    private static double x(long at, long end, int left, int w) {
        return left + (double) at / end * (w - left);
    }

    private static String rect(double x, double y, double width, double height) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f3c6c6\" opacity=\"0.6\"/>",
                x, y, Math.max(1, width), height);
    }

    private static String line(double x1, double y1, double x2, double y2, String color, int width) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%d\"/>",
                x1, y1, x2, y2, color, width);
    }

    private static String text(double x, double y, String t) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>", x, y, esc(t));
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
