package io.netsplit.writer.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.kit.Json;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One status-change event of a health checker, as published on the {@code health.status} topic (record key = the
 * checker's name, value = UTF-8 JSON). Only what the writer needs is kept: the checker, its status, the sites it
 * implicates (empty = all sites), when the status began and the checker's evidence.
 *
 * @param checker  the checker's name: the record key, or the {@code checker} field when the key is missing
 * @param status   {@code healthy}, {@code degraded}, {@code partitioned}, {@code diverged} (lower case; others kept)
 * @param sites    the implicated sites; empty means every site
 * @param since    when the checker entered {@code status} ({@code at}, else {@code atMs}); null if the event says not
 * @param evidence the checker's evidence lines, possibly empty
 * @param validForMs how long after it was read the event still stands ({@code validForMs}); null: no limit
 *                   (events of checkers that do not say)
 * @param receivedAtMs when this writer read the event, on its own clock (so the checker's clock does not matter)
 */
public record HealthStatusEvent(String checker, String status, List<String> sites, Instant since,
                                List<String> evidence, Long validForMs, long receivedAtMs) {

    /** The event types the writer acts on; events of other types are skipped, not treated as errors. */
    public static final String STATUS_CHANGE = "status-change";
    /** The checker's current status again, published while it lasts so that its validity is renewed. */
    public static final String STATUS_HEARTBEAT = "status-heartbeat";
    public static final String DIVERGED = "diverged";

    private static final ObjectMapper JSON = Json.mapper();

    public HealthStatusEvent {
        sites = List.copyOf(sites);
        evidence = List.copyOf(evidence);
    }

    public boolean isDiverged() {
        return DIVERGED.equals(status);
    }

    /** Whether the event still stands at {@code nowMs}: its checker renewed it within its stated validity. */
    public boolean standsAt(long nowMs) {
        return validForMs == null || nowMs - receivedAtMs <= validForMs;
    }

    /** Whether this event concerns {@code site}: it names it, or names no site at all (= every site). */
    public boolean implicates(String site) {
        return sites.isEmpty() || sites.contains(site);
    }

    /**
     * Parses one record of the topic. Empty for an event of another {@code type} than {@code status-change}.
     *
     * @throws IllegalArgumentException when the value is not such an event (not JSON, no status, sites not an array
     *                                  of strings, no checker name); the message says what is wrong
     */
    public static Optional<HealthStatusEvent> parse(String key, byte[] value) {
        return parse(key, value, System.currentTimeMillis());
    }

    /** As {@link #parse(String, byte[])}, read at {@code receivedAtMs}. */
    public static Optional<HealthStatusEvent> parse(String key, byte[] value, long receivedAtMs) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode type = root.get("type");
        if (type != null && !type.isNull() && !STATUS_CHANGE.equals(type.asText()) && !STATUS_HEARTBEAT.equals(type.asText())) {
            return Optional.empty();
        }
        String checker = key != null && !key.isBlank() ? key : text(root, "checker");
        if (checker == null || checker.isBlank()) {
            throw new IllegalArgumentException("no checker name (record key or \"checker\")");
        }
        String status = text(root, "status");
        if (status == null || status.isBlank()) {
            throw new IllegalArgumentException("no \"status\"");
        }
        return Optional.of(new HealthStatusEvent(checker, status.strip().toLowerCase(Locale.ROOT),
                strings(root, "sites", true), since(root), strings(root, "evidence", false), validFor(root), receivedAtMs));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** A list of strings; a missing required list is an error, because "no sites" would mean "every site". */
    private static List<String> strings(JsonNode root, String field, boolean required) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new IllegalArgumentException("no \"" + field + "\" array");
            }
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is not an array");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("\"" + field + "\" holds a value that is not a string");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static Long validFor(JsonNode root) {
        JsonNode n = root.get("validForMs");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToLong() || n.asLong() < 0) {
            throw new IllegalArgumentException("\"validForMs\" is not a non-negative number");
        }
        return n.asLong() == 0 ? null : n.asLong();
    }

    private static Instant since(JsonNode root) {
        String at = text(root, "at");
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeException e) {
                // fall back to atMs
            }
        }
        JsonNode atMs = root.get("atMs");
        return atMs != null && atMs.canConvertToLong() ? Instant.ofEpochMilli(atMs.asLong()) : null;
    }
}
