package io.netsplit.reconcile.merge;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A fixed, configured ranking of site aliases used to break ties: earlier in the list is preferred.
 * Sites not in the list rank after every listed site, among themselves by alias ascending. Every
 * site must be configured with the same order, or sites may break ties differently.
 */
public record SiteOrder(List<String> sites) {

    public SiteOrder {
        sites = List.copyOf(Objects.requireNonNull(sites, "sites"));
        if (new HashSet<>(sites).size() != sites.size()) {
            throw new IllegalArgumentException("site order lists a site twice: " + sites);
        }
    }

    public static SiteOrder of(String... sites) {
        return new SiteOrder(List.of(sites));
    }

    /** Positive if site {@code a} is preferred over {@code b}, negative if {@code b} is, 0 if same site. */
    public int prefer(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(rb, ra);
        }
        return b.compareTo(a); // both unlisted: smaller alias preferred
    }

    /** Position in the list, or {@code sites().size()} for an unlisted site. */
    public int rank(String site) {
        int i = sites.indexOf(site);
        return i >= 0 ? i : sites.size();
    }

    @Override
    public String toString() {
        return String.join(" > ", sites);
    }
}
