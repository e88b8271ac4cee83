package io.netsplit.mirror;

import java.time.Duration;
import java.util.List;

/**
 * The switch drills use to sever and degrade the WAN links between sites. A link is directed
 * (source → target): it carries what the target site's mirror reads from the source site. Cutting
 * a link stops replication in that direction only; {@link #isolate} cuts both directions of a pair.
 *
 * <p>Two drivers implement it: Toxiproxy (the real tool) and an embedded pure-Java fault proxy.
 * Both pass the same contract tests. Build one with {@link LinkControls#fromDescriptor}.
 * Methods are synchronous: when they return, the fault is in place. Unknown sites or links are an
 * {@link IllegalArgumentException} naming the known links; an unreachable control endpoint is an
 * {@link java.io.UncheckedIOException}.
 */
public interface LinkControl extends AutoCloseable {

    /** {@code toxiproxy} or {@code embedded}. */
    String driver();

    /** Every link with its current faults. */
    List<LinkState> links();

    /** One link's current faults. */
    LinkState link(String source, String target);

    /** Cuts one direction: the target stops receiving from the source; the reverse link is untouched. */
    void cutOneWay(String source, String target, CutStyle style);

    /** Undoes a cut of one direction (latency and bandwidth limits stay). */
    void healOneWay(String source, String target);

    /** Sets latency with jitter on both byte streams of one link (so a round trip gains about twice it). */
    void latency(String source, String target, Duration latency, Duration jitter);

    /** Limits both byte streams of one link to {@code kilobytesPerSecond} (1 KB = 1024 bytes). */
    void bandwidth(String source, String target, long kilobytesPerSecond);

    /** Removes every fault (cut, latency, bandwidth) from one link. */
    void clearFaults(String source, String target);

    /** Removes every fault from every link. */
    default void reset() {
        for (LinkState l : links()) {
            clearFaults(l.source(), l.target());
        }
    }

    /** Cuts both directions between two sites: a netsplit. */
    default void isolate(String a, String b, CutStyle style) {
        cutOneWay(a, b, style);
        cutOneWay(b, a, style);
    }

    /** {@link #isolate(String, String, CutStyle)} with {@link CutStyle#REFUSE}. */
    default void isolate(String a, String b) {
        isolate(a, b, CutStyle.REFUSE);
    }

    /** Heals both directions between two sites. */
    default void heal(String a, String b) {
        healOneWay(a, b);
        healOneWay(b, a);
    }

    /**
     * Isolates and heals a pair {@code times} times: each period is half cut, half healed. Blocks
     * for {@code times × period} and always returns with the pair healed.
     */
    default void flap(String a, String b, int times, Duration period, CutStyle style) {
        if (times < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("flap needs times >= 1 and a positive period");
        }
        long half = period.toMillis() / 2;
        try {
            for (int i = 0; i < times; i++) {
                isolate(a, b, style);
                Thread.sleep(half);
                heal(a, b);
                Thread.sleep(period.toMillis() - half);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while flapping " + a + " <-> " + b, e);
        } finally {
            heal(a, b);
        }
    }

    @Override
    default void close() {
    }
}
