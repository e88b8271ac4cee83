package io.netsplit.writer.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Whether one site admits writes, given the health checkers' status events: pure, no Kafka. The newest event of
 * each checker counts (in log order); the gate is closed while any checker's newest event says {@code diverged},
 * implicates the site (names it, or names no site) and still stands: a checker renews its status with heartbeats
 * within the validity it states ({@code validForMs}), so the status of a checker that died stops gating once that
 * much time has passed since the writer read it. Everything else keeps it open — no event, other statuses, and
 * records that cannot be read, which leave the last good state in place (fail-open).
 *
 * <p>Immutable: {@link #apply} returns the next gate.
 *
 * @param site             the writer's site alias
 * @param newestByChecker  the newest status-change event of each checker, by checker name
 */
public record DivergenceGate(String site, Map<String, HealthStatusEvent> newestByChecker) {

    /** Longest piece of a checker's evidence quoted in a refusal. */
    static final int MAX_EVIDENCE_CHARS = 200;

    public DivergenceGate {
        newestByChecker = Collections.unmodifiableMap(new TreeMap<>(newestByChecker));
    }

    /** The gate before any event: open. */
    public static DivergenceGate open(String site) {
        return new DivergenceGate(site, Map.of());
    }

    /**
     * The gate after one record of the health topic. A null value (tombstone) forgets that checker. A record that is
     * not a readable status-change event is reported to {@code unreadable} (with what is wrong) and changes nothing;
     * events of another type are skipped silently.
     */
    public DivergenceGate apply(String key, byte[] value, Consumer<String> unreadable) {
        return apply(key, value, System.currentTimeMillis(), unreadable);
    }

    /** As {@link #apply(String, byte[], Consumer)}, the record read at {@code nowMs}. */
    public DivergenceGate apply(String key, byte[] value, long nowMs, Consumer<String> unreadable) {
        if (value == null) {
            return key == null ? this : without(key);
        }
        try {
            return HealthStatusEvent.parse(key, value, nowMs).map(this::with).orElse(this);
        } catch (IllegalArgumentException e) {
            unreadable.accept(e.getMessage());
            return this;
        }
    }

    /** The gate with {@code event} as its checker's newest. */
    public DivergenceGate with(HealthStatusEvent event) {
        Map<String, HealthStatusEvent> next = new TreeMap<>(newestByChecker);
        next.put(event.checker(), event);
        return new DivergenceGate(site, next);
    }

    private DivergenceGate without(String checker) {
        if (!newestByChecker.containsKey(checker)) {
            return this;
        }
        Map<String, HealthStatusEvent> next = new TreeMap<>(newestByChecker);
        next.remove(checker);
        return new DivergenceGate(site, next);
    }

    /** Empty while writes are admitted; else why they are not, as one line for the 503 answer. */
    public Optional<String> refusal() {
        return refusal(System.currentTimeMillis());
    }

    /** Empty while writes are admitted at {@code nowMs}; else why they are not. */
    public Optional<String> refusal(long nowMs) {
        List<HealthStatusEvent> diverged = new ArrayList<>();
        for (HealthStatusEvent e : newestByChecker.values()) {
            if (e.isDiverged() && e.implicates(site) && e.standsAt(nowMs)) {
                diverged.add(e);
            }
        }
        if (diverged.isEmpty()) {
            return Optional.empty();
        }
        // checkers in name order, so the same state always gives the same message
        HealthStatusEvent first = diverged.get(0);
        StringBuilder reason = new StringBuilder("site ").append(site).append(" is diverged according to health checker ")
                .append(oneLine(first.checker(), MAX_EVIDENCE_CHARS));
        if (first.since() != null) {
            reason.append(" since ").append(first.since());
        }
        if (!first.evidence().isEmpty()) {
            reason.append(": ").append(oneLine(first.evidence().get(0), MAX_EVIDENCE_CHARS));
        }
        int others = diverged.size() - 1;
        if (others > 0) {
            reason.append(" (and according to ").append(others).append(others == 1 ? " other checker)" : " other checkers)");
        }
        return Optional.of(reason.toString());
    }

    public boolean isOpen() {
        return refusal().isEmpty();
    }

    /** Control characters become spaces (the answer is one line), and long text is cut. */
    private static String oneLine(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        text.codePoints().limit(max).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        if (text.codePointCount(0, text.length()) > max) {
            out.append("...");
        }
        return out.toString();
    }
}
