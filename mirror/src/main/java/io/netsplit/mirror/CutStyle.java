package io.netsplit.mirror;

/**
 * How a link is cut.
 * <ul>
 *   <li>{@link #REFUSE}: the proxy stops listening and resets its connections; clients see
 *       "connection refused" at once and retry quickly. With Toxiproxy: the proxy is disabled.</li>
 *   <li>{@link #BLACKHOLE}: connections stay open (new ones are accepted) but every byte is silently
 *       dropped in both directions, as in a real WAN partition; clients notice only when their
 *       request timeouts expire. With Toxiproxy: a {@code timeout} toxic (timeout 0) on both streams.</li>
 * </ul>
 */
public enum CutStyle {
    REFUSE,
    BLACKHOLE;

    /** Parses {@code refuse} / {@code blackhole}, case-insensitively, with a one-line error otherwise. */
    public static CutStyle parse(String value) {
        for (CutStyle s : values()) {
            if (s.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("cut style '" + value + "' is not one of refuse, blackhole");
    }
}
