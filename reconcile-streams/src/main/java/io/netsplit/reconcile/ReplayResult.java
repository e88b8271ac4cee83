package io.netsplit.reconcile;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link Replay}: what reprocessing a site's ordered log from the beginning produced.
 *
 * @param digest      hex digest of the replayed converged table (compare with {@code GET /digest})
 * @param decisionIds every decision id the replay made, in audit sequence order
 * @param keys        keys in the replayed table
 * @param frontier    join of every replayed key's vector
 * @param records     ordered-log records reprocessed
 */
public record ReplayResult(String digest, List<String> decisionIds, long keys, Map<String, Long> frontier, long records) {
    public ReplayResult {
        decisionIds = List.copyOf(decisionIds);
        frontier = Map.copyOf(frontier);
    }
}
