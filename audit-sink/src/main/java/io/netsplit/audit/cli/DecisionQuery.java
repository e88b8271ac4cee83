package io.netsplit.audit.cli;

import io.netsplit.audit.Since;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.lab.Lab;
import io.netsplit.lab.SiteDescriptor;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The filters {@code conflicts list} and {@code conflicts export} share, and the query they run. */
public final class DecisionQuery {

    /** Stable order across sites: decided at, deciding site, sequence. */
    public static final Comparator<StoredDecision> ORDER = Comparator.comparingLong(StoredDecision::decidedAtMillis)
            .thenComparing(StoredDecision::decidingSite).thenComparingLong(StoredDecision::sequence);

    @Option(names = "--site", paramLabel = "SITE",
            description = "Only this site's audit store: the decisions its reconciler made (default: every site).")
    String site;

    @Option(names = "--key", paramLabel = "KEY", description = "Only decisions about this entity key.")
    String key;

    @Option(names = "--since", paramLabel = "DURATION|TIME",
            description = "Only decisions made since then: a duration back from now (30s, 15m, 2h, 1d, PT15M) "
                    + "or a time (2026-11-22T10:00:00Z, 2026-11-22).")
    String since;

    @Option(names = "--pending", description = "Only conflicts still pending (manual policy, not yet resolved).")
    boolean pending;

    @Option(names = "--all", description = "Every decision kind, also STALE, DUPLICATE and REJECTED "
            + "(default: CONCURRENT_UPDATE, DELETE_VS_UPDATE, MANUAL_RESOLUTION).")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "At most N decisions per site, the earliest (default: no limit).")
    int limit;

    /** Validates the options (before anything is contacted) and returns the sinks' query parameters. */
    Map<String, String> parameters(Instant now) {
        Map<String, String> p = new LinkedHashMap<>();
        if (key != null) {
            p.put("key", key);
        }
        if (since != null) {
            // resolved once here, so every site applies the same cut-off
            p.put("since", Since.parse(since, now).toString());
        }
        if (pending) {
            p.put("pending", "true");
        }
        if (all) {
            p.put("all", "true");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        if (limit > 0) {
            p.put("limit", Integer.toString(limit));
        }
        return p;
    }

    /** Runs the query at the selected sites and merges the answers in {@link #ORDER}. */
    List<StoredDecision> run(Lab lab) {
        Map<String, String> params = parameters(Instant.now());
        List<StoredDecision> out = new ArrayList<>();
        for (SiteDescriptor s : LabSites.select(lab, site)) {
            out.addAll(LabSites.audit(s).conflicts(params));
        }
        out.sort(ORDER);
        return out;
    }
}
