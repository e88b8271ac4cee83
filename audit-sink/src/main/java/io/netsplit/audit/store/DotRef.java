package io.netsplit.audit.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * A write's identity (site, counter), written {@code site:counter} in text, JSON and CSV.
 *
 * @param site    the minting site's alias
 * @param counter that site's counter for the write
 */
public record DotRef(String site, long counter) implements Comparable<DotRef> {

    public DotRef {
        Objects.requireNonNull(site, "site");
    }

    /** Parses {@code site:counter}; the site may itself contain ':' (the counter is after the last one). */
    @JsonCreator
    public static DotRef parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon < 1 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not a dot (site:counter): '" + text + "'");
        }
        try {
            return new DotRef(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a dot (site:counter): '" + text + "'", e);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return site + ":" + counter;
    }

    @Override
    public int compareTo(DotRef o) {
        int c = site.compareTo(o.site);
        return c != 0 ? c : Long.compare(counter, o.counter);
    }
}
