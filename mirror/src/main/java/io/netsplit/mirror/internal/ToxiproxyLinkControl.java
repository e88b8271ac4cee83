package io.netsplit.mirror.internal;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link LinkControl} over a Toxiproxy server, through toxiproxy-java. One proxy per link, named
 * {@link #proxyName}. A REFUSE cut disables the proxy (listener closed, connections dropped); a
 * BLACKHOLE cut adds a {@code timeout} toxic with timeout 0 on both streams (bytes dropped,
 * connections kept open). Latency and bandwidth are toxics on both streams.
 */
public final class ToxiproxyLinkControl implements LinkControl {

    private static final String CUT = "cut_";
    private static final String LATENCY = "latency_";
    private static final String BANDWIDTH = "bandwidth_";
    private static final ToxicDirection[] BOTH = {ToxicDirection.UPSTREAM, ToxicDirection.DOWNSTREAM};

    private final String url;
    private final ToxiproxyClient client;
    private final List<LinkDescriptor> links;

    public ToxiproxyLinkControl(String url, List<LinkDescriptor> links) {
        URI u = URI.create(url);
        this.url = url;
        this.client = new ToxiproxyClient(u.getHost(), u.getPort());
        this.links = List.copyOf(links);
    }

    /** The Toxiproxy proxy name of a link: {@code us-east_to_eu-west} (site aliases never hold '_'). */
    public static String proxyName(String source, String target) {
        return source + "_to_" + target;
    }

    @Override
    public String driver() {
        return "toxiproxy";
    }

    @Override
    public List<LinkState> links() {
        List<LinkState> out = new ArrayList<>();
        for (LinkDescriptor l : links) {
            out.add(link(l.source(), l.target()));
        }
        return out;
    }

    @Override
    public LinkState link(String source, String target) {
        Proxy p = proxy(source, target);
        try {
            CutStyle cut = p.isEnabled() ? null : CutStyle.REFUSE;
            long latency = 0;
            long jitter = 0;
            long rate = 0;
            for (Toxic t : p.toxics().getAll()) {
                if (t.getName().startsWith(CUT) && cut == null) {
                    cut = CutStyle.BLACKHOLE;
                } else if (t instanceof Latency lt) {
                    latency = lt.getLatency();
                    jitter = lt.getJitter();
                } else if (t instanceof Bandwidth bw) {
                    rate = bw.getRate();
                }
            }
            return new LinkState(source, target, p.getListen(), p.getUpstream(), cut, latency, jitter, rate);
        } catch (IOException e) {
            throw failed("read link " + source + "->" + target, e);
        }
    }

    @Override
    public void cutOneWay(String source, String target, CutStyle style) {
        Proxy p = proxy(source, target);
        try {
            if (style == CutStyle.REFUSE) {
                p.disable();
                removeToxics(p, CUT);
            } else {
                for (ToxicDirection d : BOTH) {
                    if (findToxic(p, CUT + dir(d)) == null) {
                        p.toxics().timeout(CUT + dir(d), d, 0);
                    }
                }
                if (!p.isEnabled()) {
                    p.enable();
                }
            }
        } catch (IOException e) {
            throw failed("cut link " + source + "->" + target, e);
        }
    }

    @Override
    public void healOneWay(String source, String target) {
        Proxy p = proxy(source, target);
        try {
            removeToxics(p, CUT);
            if (!p.isEnabled()) {
                p.enable();
            }
        } catch (IOException e) {
            throw failed("heal link " + source + "->" + target, e);
        }
    }

    @Override
    public void latency(String source, String target, Duration latency, Duration jitter) {
        Proxy p = proxy(source, target);
        try {
            removeToxics(p, LATENCY);
            if (latency.isZero() && jitter.isZero()) {
                return;
            }
            for (ToxicDirection d : BOTH) {
                p.toxics().latency(LATENCY + dir(d), d, latency.toMillis()).setJitter(jitter.toMillis());
            }
        } catch (IOException e) {
            throw failed("set latency on link " + source + "->" + target, e);
        }
    }

    @Override
    public void bandwidth(String source, String target, long kilobytesPerSecond) {
        if (kilobytesPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidth must be positive; use clearFaults to remove a limit");
        }
        Proxy p = proxy(source, target);
        try {
            removeToxics(p, BANDWIDTH);
            for (ToxicDirection d : BOTH) {
                p.toxics().bandwidth(BANDWIDTH + dir(d), d, kilobytesPerSecond);
            }
        } catch (IOException e) {
            throw failed("limit bandwidth on link " + source + "->" + target, e);
        }
    }

    @Override
    public void clearFaults(String source, String target) {
        Proxy p = proxy(source, target);
        try {
            removeToxics(p, "");
            if (!p.isEnabled()) {
                p.enable();
            }
        } catch (IOException e) {
            throw failed("clear link " + source + "->" + target, e);
        }
    }

    private Proxy proxy(String source, String target) {
        boolean known = links.stream().anyMatch(l -> l.source().equals(source) && l.target().equals(target));
        if (!known) {
            throw new IllegalArgumentException("no link " + source + "->" + target + "; links: "
                    + links.stream().map(LinkDescriptor::id).toList());
        }
        try {
            return client.getProxy(proxyName(source, target));
        } catch (IOException e) {
            throw failed("find link " + source + "->" + target, e);
        }
    }

    private static Toxic findToxic(Proxy p, String name) throws IOException {
        for (Toxic t : p.toxics().getAll()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static void removeToxics(Proxy p, String prefix) throws IOException {
        for (Toxic t : p.toxics().getAll()) {
            if (t.getName().startsWith(prefix)) {
                t.remove();
            }
        }
    }

    private static String dir(ToxicDirection d) {
        return d.name().toLowerCase(Locale.ROOT);
    }

    private UncheckedIOException failed(String what, IOException e) {
        return new UncheckedIOException("Toxiproxy at " + url + ": cannot " + what + ": " + e.getMessage(), e);
    }
}
