package io.netsplit.drills.check;

import java.util.List;

/**
 * Reprocesses a site from the beginning under a fresh identity (the reconciler's {@code Replay}):
 * what the {@code replay-identical} checker compares with the live site. Every drill target is one.
 */
@FunctionalInterface
public interface Replayer {

    /** Reprocesses a site from the beginning under a fresh identity; its digest and decision ids. */
    Replay replay(String site);

    /** The outcome of reprocessing a site from the beginning. */
    record Replay(String digest, List<String> decisionIds) {
        public Replay {
            decisionIds = List.copyOf(decisionIds);
        }
    }
}
