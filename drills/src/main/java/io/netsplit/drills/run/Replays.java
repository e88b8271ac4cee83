package io.netsplit.drills.run;

import io.netsplit.drills.scenario.Scenario;
import io.netsplit.lab.Lab;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.reconcile.ReconcileConfig;
import io.netsplit.reconcile.ReconcilerLabComponent;
import io.netsplit.reconcile.Replay;
import io.netsplit.reconcile.ReplayResult;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How a drill reprocesses a site from the beginning: the reconciler's {@link Replay} — the same
 * topology under a fresh application id over the site's ordered input log — run in the drill's
 * JVM under the scenario's policy.
 */
public final class Replays {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private Replays() {
    }

    public static Function<String, DrillTarget.Replay> forLab(Lab lab, Scenario scenario) {
        return site -> {
            SiteDescriptor s = lab.site(site);
            Map<String, String> props = new LinkedHashMap<>();
            props.put(ReconcileConfig.SITE, site);
            props.put(ReconcileConfig.BOOTSTRAP_SERVERS, s.bootstrap());
            props.put(ReconcileConfig.REGISTRY_URL, lab.registryUrl());
            // the policy the site's reconciler actually runs, which may map more prefixes than the scenario uses
            DrillTarget.ReconcilerStatus live = ReconcilerHttp.status(site, s.requireService(ReconcilerLabComponent.NAME));
            props.put(ReconcileConfig.POLICY_DEFAULT, live.defaultPolicy() != null ? live.defaultPolicy()
                    : scenario.policy().defaultPolicy());
            Map<String, String> prefixes = live.defaultPolicy() != null ? live.policyPrefixes() : scenario.policy().prefixes();
            props.put(ReconcileConfig.POLICY_PREFIXES, String.join(",", prefixes.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()));
            props.put(ReconcileConfig.SITE_ORDER, String.join(",",
                    live.siteOrder().isEmpty() ? scenario.policy().siteOrder() : live.siteOrder()));
            props.put(ReconcileConfig.AUTHORITY, String.join(",",
                    live.authority().isEmpty() ? scenario.policy().authority() : live.authority()));
            try {
                ReplayResult r = Replay.run(ReconcileConfig.parse(props), TIMEOUT);
                return new DrillTarget.Replay(r.digest(), r.decisionIds());
            } catch (Exception e) {
                throw new IllegalStateException("replay of " + site + " failed: " + e.getMessage(), e);
            }
        };
    }
}
