package io.netsplit.drills.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a site reconciler's {@code GET /status} (see reconcile-streams/README.md). */
public final class ReconcilerHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ReconcilerHttp() {
    }

    /** The site's status; an {@link IllegalStateException} with one line if it cannot be read. */
    public static DrillTarget.ReconcilerStatus status(String site, String baseUrl) {
        JsonNode n = get(site, baseUrl + "/status");
        Map<String, Long> frontier = longs(n.path("frontier"));
        long lag = 0;
        for (long v : longs(n.path("lag")).values()) {
            lag += v;
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        n.path("policies").fields().forEachRemaining(e -> prefixes.put(e.getKey(), e.getValue().asText()));
        return new DrillTarget.ReconcilerStatus(site, n.path("conflicts").asLong(), n.path("merged").asLong(),
                n.path("pending").asLong(), n.path("digest").asText(null), frontier, lag,
                n.path("policy").asText(null), prefixes, strings(n.path("siteOrder")), strings(n.path("authority")));
    }

    /** Input lag per topic as the reconciler reports it. */
    public static Map<String, Long> lag(String site, String baseUrl) {
        return longs(get(site, baseUrl + "/status").path("lag"));
    }

    static JsonNode get(String site, String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("reconciler at " + site + " answered HTTP " + r.statusCode() + " for " + url);
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("reconciler at " + site + " unreachable (" + url + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.util.List<String> strings(JsonNode node) {
        java.util.List<String> out = new java.util.ArrayList<>();
        node.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
