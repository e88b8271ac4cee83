package io.netsplit.drills.scenario;

import io.netsplit.reconcile.merge.MergePolicy;

import java.util.List;
import java.util.Map;

/**
 * The merge policy a scenario runs under: a default, per key-prefix overrides, the site order
 * used for ties and the site ranking of {@code authoritative-site}.
 */
public record PolicySpec(String defaultPolicy, Map<String, String> prefixes, List<String> siteOrder,
                         List<String> authority) {

    /** The policy ids a manifest may name: the merge core's built-in ones. */
    public static final List<String> POLICIES = MergePolicy.ids();

    public PolicySpec {
        prefixes = Map.copyOf(prefixes);
        siteOrder = List.copyOf(siteOrder);
        authority = List.copyOf(authority);
    }
}
