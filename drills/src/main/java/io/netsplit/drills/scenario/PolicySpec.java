package io.netsplit.drills.scenario;

import java.util.List;
import java.util.Map;

/**
 * The merge policy a scenario runs under: a default, per key-prefix overrides, the site order
 * used for ties and the site ranking of {@code authoritative-site}.
 */
public record PolicySpec(String defaultPolicy, Map<String, String> prefixes, List<String> siteOrder,
                         List<String> authority) {

    public static final List<String> POLICIES = List.of("highest-version", "authoritative-site", "lww",
            "field-merge", "manual");

    public PolicySpec {
        prefixes = Map.copyOf(prefixes);
        siteOrder = List.copyOf(siteOrder);
        authority = List.copyOf(authority);
    }
}
