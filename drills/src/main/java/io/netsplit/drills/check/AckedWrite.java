package io.netsplit.drills.check;

import java.util.Map;

/**
 * One write the site-writer acknowledged during a drill: where, which key, the dot and vector it
 * was minted with, and when (drill clock, ms since the drill started).
 */
public record AckedWrite(String site, String key, String op, String dotSite, long dotCounter, long version,
                         Map<String, Long> vector, long atMillis) {

    public AckedWrite {
        vector = Map.copyOf(vector);
    }

    /** The dot as text: {@code us-east:7}. */
    public String dot() {
        return dotSite + ":" + dotCounter;
    }

    /** True when {@code other}'s vector covers this write's dot: it was made after seeing this one. */
    public boolean dominatedBy(AckedWrite other) {
        return other != this && key.equals(other.key) && !dot().equals(other.dot())
                && other.vector.getOrDefault(dotSite, 0L) >= dotCounter;
    }
}
