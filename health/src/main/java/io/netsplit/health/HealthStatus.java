package io.netsplit.health;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The one status the checker derives for a deployment, from best to worst. The worst finding wins.
 * <ul>
 *   <li>{@link #HEALTHY}: every site and link answers, lag is under the thresholds, and the sites hold the
 *       same converged state, or differ only by events still in flight;</li>
 *   <li>{@link #DEGRADED}: reachable, but a link is slow, lagging or flapping, a reconciler or mirror is
 *       down or restarting, or the sites are still catching up after a partition;</li>
 *   <li>{@link #PARTITIONED}: a link or a site's broker does not answer (for the failure threshold);</li>
 *   <li>{@link #DIVERGED}: every link up and every queue drained, yet the sites' converged state or
 *       version frontiers differ, the same way check after check: a bug or lost data.</li>
 * </ul>
 * Each status has its own exit code for {@code netsplit health}: 0, 3, 4, 5 (1 is a failure to check,
 * 2 bad usage).
 */
public enum HealthStatus {
    HEALTHY(0),
    DEGRADED(3),
    PARTITIONED(4),
    DIVERGED(5);

    private final int exitCode;

    HealthStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The lowercase name used in JSON, metrics and output. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two statuses. */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** The status named by {@code label}; {@link IllegalArgumentException} naming the known ones. */
    public static HealthStatus of(String label) {
        for (HealthStatus s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown health status '" + label + "'; known: healthy, degraded, partitioned, diverged");
    }
}
