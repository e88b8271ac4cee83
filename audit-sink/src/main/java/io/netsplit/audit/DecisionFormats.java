package io.netsplit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.audit.store.StoredCandidate;
import io.netsplit.audit.store.StoredDecision;

import io.netsplit.kit.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text forms of stored decisions shared by the HTTP API and the commands: JSON (the records as
 * they are), CSV (one row per decision, RFC 4180 quoting) and the one-line summary of
 * {@code conflicts list}.
 */
public final class DecisionFormats {

    /** The JSON mapper every part of the audit sink uses: the kit's ({@link Json#mapper()}). */
    public static final ObjectMapper JSON = Json.mapper();
    /** Exports are files people read: indented ({@link Json#pretty()}). */
    private static final ObjectMapper PRETTY = Json.pretty();

    /** Columns of the CSV export, in order. */
    public static final List<String> CSV_COLUMNS = List.of("deciding_site", "sequence", "decision_id", "key", "kind",
            "policy", "pending", "winner", "candidates", "resulting_vector", "reason", "decided_at", "source");

    private DecisionFormats() {
    }

    /** A pretty-printed JSON array of the decisions. */
    public static String json(List<StoredDecision> decisions) {
        try {
            return PRETTY.writeValueAsString(decisions) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSV document: a header line, then one line per decision. */
    public static String csv(List<StoredDecision> decisions) {
        StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (StoredDecision d : decisions) {
            List<String> cells = List.of(d.decidingSite(), Long.toString(d.sequence()), d.decisionId(), d.key(), d.kind(),
                    d.policy(), Boolean.toString(d.pending()), d.winner() == null ? "" : d.winner().toString(),
                    d.candidates().stream().map(c -> c.dot() + "@v" + c.version()).collect(Collectors.joining(" ")),
                    vector(d.resultingVector()), d.reason(), Instant.ofEpochMilli(d.decidedAtMillis()).toString(),
                    d.source().toString());
            out.append(cells.stream().map(DecisionFormats::csvCell).collect(Collectors.joining(","))).append("\r\n");
        }
        return out.toString();
    }

    /** One line: time, site#sequence, decision id, kind, key, policy, winner, candidates, state. */
    public static String line(StoredDecision d) {
        String winner = d.winner() == null ? "-" : d.winner().toString();
        String candidates = d.candidates().stream().map(c -> c.dot().toString()).collect(Collectors.joining(","));
        return printable(Instant.ofEpochMilli(d.decidedAtMillis()) + " " + d.decidingSite() + "#" + d.sequence() + " "
                + d.decisionId() + " " + d.kind() + " key=" + d.key() + " policy=" + d.policy()
                + " winner=" + winner + " candidates=" + (candidates.isEmpty() ? "-" : candidates)
                + (d.pending() ? " PENDING" : ""));
    }

    /** The multi-line view of {@code conflicts show}. */
    public static String details(StoredDecision d) {
        StringBuilder b = new StringBuilder();
        b.append(printable("decision " + d.decisionId() + " (" + d.decidingSite() + " #" + d.sequence() + ")")).append('\n');
        b.append("  key        ").append(printable(d.key())).append('\n');
        b.append("  kind       ").append(printable(d.kind() + " (policy " + d.policy() + ")")).append('\n');
        b.append("  state      ").append(d.pending() ? "PENDING" : stateOf(d)).append('\n');
        b.append("  decided at ").append(Instant.ofEpochMilli(d.decidedAtMillis())).append('\n');
        b.append("  winner     ").append(d.winner() == null ? "-" : printable(d.winner().toString())).append('\n');
        b.append("  vector     ").append(printable(vector(d.resultingVector()))).append('\n');
        b.append("  reason     ").append(printable(d.reason())).append('\n');
        b.append("  source     ").append(printable(d.source().toString())).append('\n');
        b.append("  candidates ").append(d.candidates().size()).append('\n');
        for (StoredCandidate c : d.candidates()) {
            boolean won = c.dot().equals(d.winner());
            b.append("    ").append(won ? "* " : "  ").append(printable(c.dot() + " site=" + c.site() + " version="
                    + c.version() + " vector=" + vector(c.versionVector()) + " fields=" + c.fieldsDigest()))
                    .append(won ? " (winner)" : "").append('\n');
        }
        return b.toString();
    }

    private static String stateOf(StoredDecision d) {
        return switch (d.kind()) {
            case "CONCURRENT_UPDATE", "DELETE_VS_UPDATE" -> "resolved";
            case "MANUAL_RESOLUTION" -> "resolution";
            default -> "n/a";
        };
    }

    /** {@code a=1;b=2}, sorted by site. */
    public static String vector(Map<String, Long> v) {
        return v.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    /** User text made safe for one line of terminal output: control characters escaped. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    static String csvCell(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

}
