package io.netsplit.mirror.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@link LinkControl} over the embedded driver's HTTP control API ({@link FaultProxyServer}). */
public final class EmbeddedLinkControl implements LinkControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final String url;

    public EmbeddedLinkControl(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    @Override
    public String driver() {
        return "embedded";
    }

    @Override
    public List<LinkState> links() {
        String body = call("GET", "/links");
        try {
            return Json.MAPPER.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from the embedded link driver at " + url, e);
        }
    }

    @Override
    public LinkState link(String source, String target) {
        return links().stream().filter(l -> l.source().equals(source) && l.target().equals(target)).findFirst()
                .orElseThrow(() -> unknown(source, target));
    }

    @Override
    public void cutOneWay(String source, String target, CutStyle style) {
        action(source, target, "cut?style=" + style.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void healOneWay(String source, String target) {
        action(source, target, "heal");
    }

    @Override
    public void latency(String source, String target, Duration latency, Duration jitter) {
        action(source, target, "latency?ms=" + latency.toMillis() + "&jitter=" + jitter.toMillis());
    }

    @Override
    public void bandwidth(String source, String target, long kilobytesPerSecond) {
        if (kilobytesPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidth must be positive; use clearFaults to remove a limit");
        }
        action(source, target, "bandwidth?kbps=" + kilobytesPerSecond);
    }

    @Override
    public void clearFaults(String source, String target) {
        action(source, target, "clear");
    }

    @Override
    public void reset() {
        call("POST", "/reset");
    }

    private void action(String source, String target, String action) {
        call("POST", "/links/" + source + "/" + target + "/" + action);
    }

    private IllegalArgumentException unknown(String source, String target) {
        return new IllegalArgumentException("no link " + source + "->" + target + "; links: "
                + links().stream().map(LinkState::id).toList());
    }

    private String call(String method, String path) {
        try {
            HttpResponse<String> r = method.equals("GET")
                    ? HttpEndpoints.get(url + path, TIMEOUT)
                    : HttpEndpoints.post(url + path, TIMEOUT);
            if (r.statusCode() == 404 || r.statusCode() == 400) {
                throw new IllegalArgumentException(errorOf(r.body()));
            }
            if (r.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("embedded link driver at " + url + " answered "
                        + r.statusCode() + ": " + errorOf(r.body())));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded link driver at " + url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String errorOf(String body) {
        try {
            return Json.MAPPER.readTree(body).path("error").asText(body);
        } catch (IOException e) {
            return body;
        }
    }
}
