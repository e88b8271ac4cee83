package io.netsplit.audit.store;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One event a stored decision considered: its dot, the site that wrote it, its Lamport version, its
 * version vector and the digest of its fields (never the fields themselves: user values stay out of
 * the audit trail).
 *
 * @param dot           the candidate event's dot
 * @param site          the site where the candidate event was written
 * @param version       Lamport version
 * @param versionVector site alias to counter, sorted by alias
 * @param fieldsDigest  lowercase hex digest of the candidate's fields, as the reconciler computed it
 */
public record StoredCandidate(DotRef dot, String site, long version, Map<String, Long> versionVector,
                              String fieldsDigest) {

    public StoredCandidate {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(site, "site");
        versionVector = versionVector == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(versionVector));
        Objects.requireNonNull(fieldsDigest, "fieldsDigest");
    }
}
