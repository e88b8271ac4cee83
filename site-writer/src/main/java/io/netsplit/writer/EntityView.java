package io.netsplit.writer;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.VersionVector;
import java.util.List;
import java.util.Map;

/**
 * A key as the site's converged view holds it ({@code GET /entities/{key}}).
 *
 * @param key            entity key
 * @param fields         converged fields: values are null, Boolean, Long, Double or String
 * @param deleted        whether the converged state is a delete
 * @param version        highest Lamport version received for the key
 * @param vector         the key's version frontier
 * @param conflictState  NONE, RESOLVED or PENDING
 * @param winner         the winning event's dot, or null
 * @param siblings       the dots of the events still in conflict (PENDING)
 * @param policy         the merge policy that decided
 * @param lastDecisionId the last audit decision id, or null
 * @param updatedBySite  the site whose reconciler wrote the record
 * @param etag           the entity tag of this state, for {@link WriteOptions#ifMatch(String)}
 */
public record EntityView(String key, Map<String, Object> fields, boolean deleted, long version, VersionVector vector,
                         String conflictState, Dot winner, List<Dot> siblings, String policy, String lastDecisionId,
                         String updatedBySite, String etag) {
}
