package io.netsplit.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.mirror.internal.HttpEndpoints;
import io.netsplit.mirror.internal.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the link health endpoint ({@link LinkHealthServer}) from another JVM. */
public final class LinkHealthClient {

    private final String url;

    public LinkHealthClient(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    /** The health endpoint named by {@code linkControl.health} in {@code lab.json}. */
    public static LinkHealthClient fromDescriptor(LabDescriptor descriptor) {
        String u = descriptor.linkControl().get(LinkControls.HEALTH);
        if (u == null) {
            throw new IllegalStateException("the lab descriptor has no link health endpoint (linkControl.health); "
                    + "is the mirror module's mirror component on the lab's classpath?");
        }
        return new LinkHealthClient(u);
    }

    public String url() {
        return url;
    }

    /** Every link's health. */
    public List<LinkHealth> links() {
        try {
            JsonNode root = Json.MAPPER.readTree(get("/health"));
            List<LinkHealth> out = new ArrayList<>();
            for (JsonNode n : root.path("links")) {
                out.add(Json.MAPPER.treeToValue(n, LinkHealth.class));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable link health from " + url, e);
        }
    }

    /** One link's health. */
    public LinkHealth link(String source, String target) {
        return links().stream().filter(l -> l.source().equals(source) && l.target().equals(target)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no link " + source + "->" + target + " in " + url));
    }

    /** The Prometheus text exposition. */
    public String prometheus() {
        return get("/metrics");
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = HttpEndpoints.get(url + path, Duration.ofSeconds(5));
            if (r.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("link health " + url + path + " answered " + r.statusCode()));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("link health endpoint " + url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
