package io.netsplit.mirror;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What a link driver reports about one directed link (source → target): where it listens, what
 * it forwards to, and the faults applied to it now. {@code cut} is null while the link carries
 * traffic; latency, jitter and bandwidth are 0 when not applied.
 */
public record LinkState(
        String source,
        String target,
        String listen,
        String upstream,
        CutStyle cut,
        long latencyMs,
        long jitterMs,
        long bandwidthKBps) {

    /** {@code us-east->eu-west}, the id the lab and drills use. */
    @JsonIgnore
    public String id() {
        return source + "->" + target;
    }

    @JsonIgnore
    public boolean isCut() {
        return cut != null;
    }

    /** True when the link is neither cut nor slowed down. */
    @JsonIgnore
    public boolean isClear() {
        return cut == null && latencyMs == 0 && jitterMs == 0 && bandwidthKBps == 0;
    }
}
