package io.netsplit.health;

import io.netsplit.health.Observation.LinkObservation;
import io.netsplit.health.Observation.ReconcilerView;
import io.netsplit.health.Observation.SiteObservation;
import io.netsplit.health.Observation.TableView;
import io.netsplit.health.ProbeTracker.ProbeView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** How {@code netsplit health} prints a report: the status and its evidence first, then what each part answered. */
public final class HealthText {

    private HealthText() {
    }

    public static List<String> lines(HealthReport r) {
        List<String> out = new ArrayList<>();
        out.add("health: " + r.status().label() + " since " + Instant.ofEpochMilli(r.statusSinceMs()) + " ("
                + HealthRules.seconds(r.checkedAtMs() - r.statusSinceMs()) + "), checked " + Instant.ofEpochMilli(r.checkedAtMs())
                + " by " + r.checker() + " (check #" + r.checks() + ", " + r.checkDurationMs() + " ms)");
        if (r.recoveredAfterMs() != null) {
            out.add("  recovered: caught up " + HealthRules.seconds(r.recoveredAfterMs()) + " after the partition ended");
        }
        for (Finding f : r.findings()) {
            String level = f.level() == HealthStatus.HEALTHY ? "note" : f.level().label();
            out.add(String.format("  %-12s %s", level, f.text()));
        }
        if (!r.pairs().isEmpty()) {
            StringBuilder b = new StringBuilder("pairs:");
            new TreeMap<>(r.pairs()).forEach((pair, s) -> b.append(' ').append(pair).append('=').append(s.label()));
            out.add(b.toString());
        }
        out.add("sites:");
        for (SiteObservation s : r.sites()) {
            StringBuilder b = new StringBuilder("  " + s.site() + "  broker " + probe(s.broker()));
            ReconcilerView rv = s.reconciler();
            if (rv != null) {
                b.append("  reconciler ").append(rv.reachable() ? rv.state() + " lag " + rv.lag() + " keys " + rv.keys()
                        + " digest " + abbrev(rv.digest()) + " frontier " + new TreeMap<>(rv.frontier()) : "unreachable (" + rv.error() + ")");
            }
            TableView t = s.table();
            if (t != null) {
                b.append("  converged topic ").append(t.keys()).append(" keys ").append(abbrev(t.digest()))
                        .append(t.caughtUp() ? "" : " (reading)").append(t.error() == null ? "" : " (" + t.error() + ")");
            }
            out.add(b.toString());
        }
        if (!r.links().isEmpty()) {
            out.add("links:");
            for (LinkObservation l : r.links()) {
                StringBuilder b = new StringBuilder("  " + l.id() + "  " + probe(l.probe()));
                if (l.mirror() != null) {
                    b.append("  mirror ").append(l.mirror().status()).append(" lag ").append(l.mirror().lagRecords())
                            .append(" records");
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private static String probe(ProbeView p) {
        if (p.down()) {
            return "DOWN since " + Instant.ofEpochMilli(p.sinceMs()) + " (" + p.consecutiveFailures() + " failed probes: " + p.error() + ")";
        }
        String s = "up (" + (p.rttMs() == null ? "?" : p.rttMs()) + " ms" + (p.slow() ? ", slow" : "") + ")";
        if (p.consecutiveFailures() > 0) {
            s += " " + p.consecutiveFailures() + " failed probe(s): " + p.error();
        }
        return s;
    }

    private static String abbrev(String digest) {
        return digest == null ? "-" : digest.substring(0, Math.min(12, digest.length()));
    }
}
