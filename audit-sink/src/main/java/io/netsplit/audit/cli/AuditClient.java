package io.netsplit.audit.cli;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.netsplit.audit.DecisionFormats;
import io.netsplit.audit.RepairReport;
import io.netsplit.audit.VerifyReport;
import io.netsplit.audit.store.StoredDecision;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * HTTP client of one site's audit sink (its {@code audit} URL in {@code lab.json}). Every failure is
 * an {@link IllegalStateException} with one line naming the site and what went wrong.
 */
public final class AuditClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JavaType DECISIONS = DecisionFormats.JSON.getTypeFactory()
            .constructCollectionType(List.class, StoredDecision.class);

    private final String site;
    private final String baseUrl;

    public AuditClient(String site, String baseUrl) {
        this.site = site;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String site() {
        return site;
    }

    /** Decisions matching the query parameters (see the sink's {@code GET /conflicts}). */
    public List<StoredDecision> conflicts(Map<String, String> params) {
        return read(send("GET", "/conflicts" + query(params), Duration.ofSeconds(60)).body(), DECISIONS);
    }

    /** Every record of one decision at this site; empty if the site has none. */
    public List<StoredDecision> decision(String decisionId) {
        HttpResponse<String> r = send("GET", "/conflicts/" + encode(decisionId), Duration.ofSeconds(30), 404);
        return r.statusCode() == 404 ? List.of() : read(r.body(), DECISIONS);
    }

    public VerifyReport verify(String decidingSite) {
        return read(send("GET", "/audit/verify" + query(siteParam(decidingSite)), Duration.ofSeconds(60)).body(),
                DecisionFormats.JSON.getTypeFactory().constructType(VerifyReport.class));
    }

    public RepairReport repair(String decidingSite) {
        return read(send("POST", "/audit/repair" + query(siteParam(decidingSite)), Duration.ofMinutes(6)).body(),
                DecisionFormats.JSON.getTypeFactory().constructType(RepairReport.class));
    }

    private static Map<String, String> siteParam(String decidingSite) {
        return decidingSite == null ? Map.of() : Map.of("site", decidingSite);
    }

    private HttpResponse<String> send(String method, String pathAndQuery, Duration timeout, int... alsoOk) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", "application/json").build();
        HttpResponse<String> r;
        try {
            r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the audit sink of " + site + " (" + baseUrl + ") is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the audit sink of " + site, e);
        }
        if (r.statusCode() / 100 == 2 || java.util.Arrays.stream(alsoOk).anyMatch(s -> s == r.statusCode())) {
            return r;
        }
        String message = errorMessage(r.body()).orElse(r.body());
        if (r.statusCode() == 400) {
            throw new IllegalArgumentException(message);
        }
        throw new IllegalStateException("the audit sink of " + site + " answered HTTP " + r.statusCode() + ": " + message);
    }

    private static Optional<String> errorMessage(String body) {
        try {
            JsonNode n = DecisionFormats.JSON.readTree(body);
            return n != null && n.hasNonNull("error") ? Optional.of(n.get("error").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private <T> T read(String body, JavaType type) {
        try {
            return DecisionFormats.JSON.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("the audit sink of " + site + " answered something unreadable: "
                    + e.getMessage(), e);
        }
    }

    static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        return "?" + params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
