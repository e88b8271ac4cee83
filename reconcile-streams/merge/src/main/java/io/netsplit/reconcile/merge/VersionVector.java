package io.netsplit.reconcile.merge;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable version vector: site alias to the highest counter of that site's writes seen for one
 * key. Sites with counter 0 are not stored, so {@code {us-east:1}} and {@code {us-east:1, eu-west:0}}
 * are the same vector. Sites are kept sorted by alias ({@link String#compareTo}), which makes
 * {@link #equals}, {@link #toString} and every encoding canonical.
 */
public final class VersionVector {

    private static final VersionVector EMPTY = new VersionVector(new String[0], new long[0]);

    private final String[] sites;
    private final long[] counters;

    private VersionVector(String[] sites, long[] counters) {
        this.sites = sites;
        this.counters = counters;
    }

    public static VersionVector empty() {
        return EMPTY;
    }

    /** A vector from a map; zero counters are dropped, negative ones rejected. */
    public static VersionVector of(Map<String, Long> entries) {
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> e : entries.entrySet()) {
            String site = Objects.requireNonNull(e.getKey(), "site");
            long counter = Objects.requireNonNull(e.getValue(), "counter");
            if (site.isEmpty()) {
                throw new IllegalArgumentException("version vector site must not be empty");
            }
            if (counter < 0) {
                throw new IllegalArgumentException("version vector counter for " + site + " must be >= 0, was " + counter);
            }
            if (counter > 0) {
                sorted.put(site, counter);
            }
        }
        String[] s = new String[sorted.size()];
        long[] c = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            s[i] = e.getKey();
            c[i] = e.getValue();
            i++;
        }
        return new VersionVector(s, c);
    }

    /**
     * From parallel arrays as the canonical encoding stores them; validated (sorted, unique,
     * non-empty aliases, positive counters) and taken over without copying.
     */
    static VersionVector ofSorted(String[] sites, long[] counters) {
        for (int i = 0; i < sites.length; i++) {
            if (sites[i].isEmpty() || counters[i] <= 0 || (i > 0 && sites[i - 1].compareTo(sites[i]) >= 0)) {
                throw new IllegalArgumentException("not a canonical version vector at entry " + i + " (" + sites[i] + ":" + counters[i]
                        + "): sites must be sorted, unique and non-empty, counters > 0");
            }
        }
        return sites.length == 0 ? EMPTY : new VersionVector(sites, counters);
    }

    /** Convenience for tests and examples: {@code of("us-east", 2, "eu-west", 1)}. */
    public static VersionVector of(Object... siteCounterPairs) {
        if (siteCounterPairs.length % 2 != 0) {
            throw new IllegalArgumentException("expected site/counter pairs");
        }
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < siteCounterPairs.length; i += 2) {
            map.put((String) siteCounterPairs[i], ((Number) siteCounterPairs[i + 1]).longValue());
        }
        return of(map);
    }

    /** The counter for a site, 0 if the site is absent. */
    public long get(String site) {
        int i = Arrays.binarySearch(sites, site);
        return i >= 0 ? counters[i] : 0L;
    }

    /** True iff this vector has seen the write named by the dot. */
    public boolean contains(Dot dot) {
        return get(dot.site()) >= dot.counter();
    }

    /** A copy with the site's counter raised to at least {@code counter}. */
    public VersionVector with(String site, long counter) {
        if (get(site) >= counter) {
            return this;
        }
        return join(of(Map.of(site, counter)));
    }

    /** A copy that includes the dot: what a writer's vector looks like after minting it. */
    public VersionVector with(Dot dot) {
        return with(dot.site(), dot.counter());
    }

    /** The least upper bound: per site, the higher counter. Commutative, associative, idempotent. */
    public VersionVector join(VersionVector other) {
        if (other.sites.length == 0 || this == other) {
            return this;
        }
        if (sites.length == 0) {
            return other;
        }
        String[] s = new String[sites.length + other.sites.length];
        long[] c = new long[s.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < sites.length || j < other.sites.length) {
            int cmp = i == sites.length ? 1 : j == other.sites.length ? -1 : sites[i].compareTo(other.sites[j]);
            if (cmp < 0) {
                s[n] = sites[i];
                c[n++] = counters[i++];
            } else if (cmp > 0) {
                s[n] = other.sites[j];
                c[n++] = other.counters[j++];
            } else {
                s[n] = sites[i];
                c[n++] = Math.max(counters[i++], other.counters[j++]);
            }
        }
        if (n == sites.length && Arrays.equals(c, 0, n, counters, 0, n)) {
            return this;
        }
        return new VersionVector(Arrays.copyOf(s, n), Arrays.copyOf(c, n));
    }

    /**
     * Compares causally: {@link Causality#BEFORE} if this happened before {@code other}, {@link
     * Causality#AFTER} if after, {@link Causality#EQUAL}, or {@link Causality#CONCURRENT}.
     */
    public Causality compare(VersionVector other) {
        boolean less = false;
        boolean greater = false;
        int i = 0;
        int j = 0;
        while (i < sites.length || j < other.sites.length) {
            int cmp = i == sites.length ? 1 : j == other.sites.length ? -1 : sites[i].compareTo(other.sites[j]);
            if (cmp < 0) {
                greater = true; // we have a site the other lacks (counters are > 0)
                i++;
            } else if (cmp > 0) {
                less = true;
                j++;
            } else {
                long a = counters[i++];
                long b = other.counters[j++];
                if (a < b) {
                    less = true;
                } else if (a > b) {
                    greater = true;
                }
            }
            if (less && greater) {
                return Causality.CONCURRENT;
            }
        }
        if (less) {
            return Causality.BEFORE;
        }
        return greater ? Causality.AFTER : Causality.EQUAL;
    }

    /** True iff this vector is greater than or equal to {@code other} at every site. */
    public boolean dominates(VersionVector other) {
        Causality c = compare(other);
        return c == Causality.AFTER || c == Causality.EQUAL;
    }

    /** True iff this happened strictly before {@code other}. */
    public boolean before(VersionVector other) {
        return compare(other) == Causality.BEFORE;
    }

    public boolean isEmpty() {
        return sites.length == 0;
    }

    public int size() {
        return sites.length;
    }

    String siteAt(int i) {
        return sites[i];
    }

    long counterAt(int i) {
        return counters[i];
    }

    /** Site aliases present (counter > 0), sorted. */
    public List<String> sites() {
        return Collections.unmodifiableList(Arrays.asList(sites));
    }

    /** The entries as a sorted, unmodifiable map. */
    public SortedMap<String, Long> asMap() {
        TreeMap<String, Long> map = new TreeMap<>();
        for (int i = 0; i < sites.length; i++) {
            map.put(sites[i], counters[i]);
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** Highest counter over all sites; 0 for the empty vector. */
    public long maxCounter() {
        long max = 0;
        for (long c : counters) {
            max = Math.max(max, c);
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && Arrays.equals(sites, v.sites) && Arrays.equals(counters, v.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sites) + Arrays.hashCode(counters);
    }

    /** {@code {eu-west:1, us-east:7}} — sorted, stable, used in audit reasons. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < sites.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(sites[i]).append(':').append(counters[i]);
        }
        return b.append('}').toString();
    }
}
