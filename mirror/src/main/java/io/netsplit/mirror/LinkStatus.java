package io.netsplit.mirror;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The health of one directed link as the monitor sees it.
 * <ul>
 *   <li>{@link #UP}: a Kafka round trip through the link succeeds and the mirror keeps up;</li>
 *   <li>{@link #CUT}: no Kafka round trip through the link within the probe timeout;</li>
 *   <li>{@link #DEGRADED}: the link answers, but slowly (round trip over the threshold), or the
 *       oldest unreplicated record is older than the lag threshold, or the mirror process is down;</li>
 *   <li>{@link #RECOVERING}: the link answers again after a cut and the backlog is draining.</li>
 * </ul>
 */
public enum LinkStatus {
    @JsonProperty("up") UP,
    @JsonProperty("cut") CUT,
    @JsonProperty("degraded") DEGRADED,
    @JsonProperty("recovering") RECOVERING;

    /** The lowercase name used in JSON and Prometheus labels. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
