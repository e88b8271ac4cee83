package io.netsplit.reconcile.merge;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which policy decides which key, and the site order that breaks ties. A key uses the policy of the
 * longest configured prefix it starts with, else the default. Every site must use the same config.
 *
 * @param siteOrder     tie-break order of site aliases
 * @param defaultPolicy policy for keys no prefix matches
 * @param byKeyPrefix   key prefix (e.g. {@code "user"}, {@code "order:"}) to policy
 */
public record MergeConfig(SiteOrder siteOrder, MergePolicy defaultPolicy, SortedMap<String, MergePolicy> byKeyPrefix) {

    public MergeConfig {
        Objects.requireNonNull(siteOrder, "siteOrder");
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        TreeMap<String, MergePolicy> copy = new TreeMap<>(Objects.requireNonNull(byKeyPrefix, "byKeyPrefix"));
        for (Map.Entry<String, MergePolicy> e : copy.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw new IllegalArgumentException("key prefix must not be empty; use the default policy instead");
            }
            Objects.requireNonNull(e.getValue(), () -> "policy for key prefix " + e.getKey());
        }
        byKeyPrefix = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** One policy for every key. */
    public static MergeConfig of(SiteOrder siteOrder, MergePolicy policy) {
        return new MergeConfig(siteOrder, policy, new TreeMap<>());
    }

    /** A copy with one more prefix rule. */
    public MergeConfig withPrefix(String keyPrefix, MergePolicy policy) {
        TreeMap<String, MergePolicy> copy = new TreeMap<>(byKeyPrefix);
        copy.put(keyPrefix, policy);
        return new MergeConfig(siteOrder, defaultPolicy, copy);
    }

    /** The policy of the longest prefix of {@code key}, else the default. */
    public MergePolicy policyFor(String key) {
        MergePolicy best = defaultPolicy;
        int bestLength = -1;
        for (Map.Entry<String, MergePolicy> e : byKeyPrefix.entrySet()) {
            if (key.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }
}
