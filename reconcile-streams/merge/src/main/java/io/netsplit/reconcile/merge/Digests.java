package io.netsplit.reconcile.merge;

import java.util.List;
import java.util.SortedMap;

/**
 * The digests other modules and other sites compare. All are SHA-256 over the canonical encoding
 * described in {@link Canonical} and the module README; changing any of them is a compatibility
 * break, which is why each input starts with a version tag.
 */
public final class Digests {

    private Digests() {
    }

    /** Tag that starts a converged-entry digest input. */
    public static final String ENTRY_TAG = "netsplit.converged-entry.v1";
    /** Tag that starts a field-map digest input. */
    public static final String FIELDS_TAG = "netsplit.fields.v1";
    /** Tag that starts a decision-id input. */
    public static final String DECISION_TAG = "netsplit.decision.v1";

    /**
     * SHA-256 of one converged entry: {@code str(ENTRY_TAG) str(key) u8(deleted) fields vector}, where
     * {@code fields} is {@code i32(n)} then per field sorted by name {@code str(name) value}, and
     * {@code vector} is {@code i32(n)} then per site sorted by alias {@code str(site) i64(counter)},
     * zero counters omitted. 32 bytes.
     */
    public static byte[] entry(String key, SortedMap<String, FieldValue> fields, boolean deleted, VersionVector vector) {
        return Canonical.sha256(new Canonical.Out()
                .str(ENTRY_TAG).str(key).u8(deleted ? 1 : 0).fields(fields).vector(vector)
                .toByteArray());
    }

    /** Lower-case hex SHA-256 of {@code str(FIELDS_TAG) fields}: how audit candidates show their fields. */
    public static String fields(SortedMap<String, FieldValue> fields) {
        return Canonical.hex(Canonical.sha256(new Canonical.Out().str(FIELDS_TAG).fields(fields).toByteArray()));
    }

    /**
     * A decision id: the first 32 hex characters (128 bits) of SHA-256 over {@code str(DECISION_TAG)
     * str(policyId) str(kindTag) str(key) i32(n)} then each dot sorted {@code str(site) i64(counter)}.
     * {@code kindTag} is empty for conflicts (CONCURRENT_UPDATE, DELETE_VS_UPDATE), so the same
     * conflicting set gets the same id on every site; it is the kind's name for the other kinds.
     */
    public static String decisionId(String policyId, String kindTag, String key, List<Dot> dots) {
        Canonical.Out out = new Canonical.Out().str(DECISION_TAG).str(policyId).str(kindTag).str(key).i32(dots.size());
        dots.stream().sorted().forEach(out::dot);
        return Canonical.hex(Canonical.sha256(out.toByteArray())).substring(0, 32);
    }
}
