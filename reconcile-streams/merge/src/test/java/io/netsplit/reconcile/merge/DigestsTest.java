package io.netsplit.reconcile.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The digests other modules and sites compare; the pinned values are the compatibility contract. */
class DigestsTest {

    static TreeMap<String, FieldValue> fields(Object... kv) {
        TreeMap<String, FieldValue> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (FieldValue) kv[i + 1]);
        }
        return m;
    }

    @Test
    void shouldKeepThePinnedEntryDigest() {
        // A test vector for other implementations (see README, "Digest"). Changing it breaks
        // convergence checks between sites running different builds.
        byte[] d = Digests.entry("user42", fields("status", FieldValue.of("online"), "age", FieldValue.of(42L)), false,
                VersionVector.of("us-east", 7, "eu-west", 1));
        assertThat(Canonical.hex(d)).isEqualTo(PINNED_ENTRY);
        TableDigest table = TableDigest.empty().plus(d);
        assertThat(table.hex()).isEqualTo(PINNED_ENTRY);
        assertThat(table.toString()).isEqualTo("1:" + PINNED_ENTRY);
        assertThat(TableDigest.empty().hex()).isEqualTo("0".repeat(64));
    }

    // computed independently from the README definition (Python hashlib + struct), not from this code
    static final String PINNED_ENTRY = "601a79c82c99bc9fb59130d8aba8b19cc5f00407f7f8e407501fc875fa7dbe13";

    @Test
    void shouldDistinguishEveryComponentOfAnEntry() {
        TreeMap<String, FieldValue> f = fields("a", FieldValue.of(1L));
        VersionVector v = VersionVector.of("us-east", 1);
        String base = Canonical.hex(Digests.entry("k", f, false, v));
        assertThat(Canonical.hex(Digests.entry("k2", f, false, v))).isNotEqualTo(base);
        assertThat(Canonical.hex(Digests.entry("k", f, true, v))).isNotEqualTo(base);
        assertThat(Canonical.hex(Digests.entry("k", fields("a", FieldValue.of(1.0)), false, v))).isNotEqualTo(base);
        assertThat(Canonical.hex(Digests.entry("k", fields("a", FieldValue.of("1")), false, v))).isNotEqualTo(base);
        assertThat(Canonical.hex(Digests.entry("k", fields("a", FieldValue.NULL), false, v))).isNotEqualTo(base);
        assertThat(Canonical.hex(Digests.entry("k", fields(), false, v))).isNotEqualTo(base);
        assertThat(Canonical.hex(Digests.entry("k", f, false, VersionVector.of("us-east", 2)))).isNotEqualTo(base);
        // length-prefixed strings: moving a character between key and field name changes the digest
        assertThat(Canonical.hex(Digests.entry("ka", fields("", FieldValue.of(1L)), false, v)))
                .isNotEqualTo(Canonical.hex(Digests.entry("k", fields("a", FieldValue.of(1L)), false, v)));
    }

    @Test
    void tableDigestIsOrderFreeAndUpdatableInPlace() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(Digests.entry("k" + i, fields("v", FieldValue.of((long) i)), i % 7 == 0, VersionVector.of("s", i + 1)));
        }
        TableDigest forward = TableDigest.empty();
        for (byte[] e : entries) {
            forward = forward.plus(e);
        }
        List<byte[]> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, new Random(1));
        TableDigest backward = TableDigest.empty();
        for (byte[] e : shuffled) {
            backward = backward.plus(e);
        }
        assertThat(backward).isEqualTo(forward);

        // overwrite key k3: minus the old entry, plus the new one == the table built with the new one
        byte[] replaced = Digests.entry("k3", fields("v", FieldValue.of(99L)), false, VersionVector.of("s", 9));
        TableDigest updated = forward.minus(entries.get(3)).plus(replaced);
        entries.set(3, replaced);
        TableDigest rebuilt = TableDigest.empty();
        for (byte[] e : entries) {
            rebuilt = rebuilt.plus(e);
        }
        assertThat(updated).isEqualTo(rebuilt).isNotEqualTo(forward);
        assertThat(updated.count()).isEqualTo(50);
    }

    @Test
    void decisionIdDependsOnPolicyKeyAndTheSetOfDotsNotTheirOrder() {
        Dot a = new Dot("us-east", 7);
        Dot b = new Dot("eu-west", 1);
        String id = Digests.decisionId("highest-version", "", "user42", List.of(a, b));
        assertThat(id).hasSize(32).isEqualTo(Digests.decisionId("highest-version", "", "user42", List.of(b, a)));
        assertThat(Digests.decisionId("lww", "", "user42", List.of(a, b))).isNotEqualTo(id);
        assertThat(Digests.decisionId("highest-version", "", "user43", List.of(a, b))).isNotEqualTo(id);
        assertThat(Digests.decisionId("highest-version", "STALE", "user42", List.of(a, b))).isNotEqualTo(id);
        assertThat(Digests.decisionId("highest-version", "", "user42", List.of(a))).isNotEqualTo(id);
    }
}
