package io.netsplit.reconcile.merge;

import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of one write: the site that made it and that site's counter for it. A site never
 * mints the same dot twice, so a dot names exactly one change event. Dots order by site alias, then
 * counter; that order is only used to sort and to break the last tie deterministically.
 *
 * @param site    origin site alias, e.g. {@code us-east}
 * @param counter the origin site's counter, at least 1
 */
public record Dot(String site, long counter) implements Comparable<Dot> {

    private static final Comparator<Dot> ORDER =
            Comparator.comparing(Dot::site).thenComparingLong(Dot::counter);

    public Dot {
        Objects.requireNonNull(site, "site");
        if (site.isEmpty()) {
            throw new IllegalArgumentException("dot site must not be empty");
        }
        if (counter < 1) {
            throw new IllegalArgumentException("dot counter must be >= 1, was " + counter + " for site " + site);
        }
    }

    @Override
    public int compareTo(Dot other) {
        return ORDER.compare(this, other);
    }

    /** {@code site:counter}, the form used in audit reasons. */
    @Override
    public String toString() {
        return site + ":" + counter;
    }
}
