package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.reconcile.merge.Causality;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MintingTest {

    private static final String US = "us-east";

    /** A tiny writer: its own history per key, a counter and a clock, no Kafka. */
    private static final class Writer {
        final Map<String, KeyHistory> histories = new HashMap<>();
        long counter;
        Hlc clock = Hlc.zero();
        long now = 1_000;

        ChangeEvent write(WriteCommand cmd, ConvergedRecord converged) {
            WriterView view = WriterView.of(US, converged, histories.get(cmd.key()));
            Dot dot = new Dot(US, ++counter);
            clock = Minting.nextHlc(clock, view, now);
            Minting.Minted m = Minting.mint(US, cmd, view, dot, clock, now);
            histories.put(cmd.key(), histories.getOrDefault(cmd.key(), KeyHistory.EMPTY)
                    .after(m.own(), m.vector(), m.event().getVersion()));
            return m.event();
        }
    }

    private static WriteCommand put(String key, Map<String, Object> fields) {
        return new WriteCommand(key, Operation.UPSERT, fields, null, null);
    }

    private static WriteCommand patch(String key, Map<String, Object> fields) {
        return new WriteCommand(key, Operation.PATCH, fields, null, null);
    }

    private static ConvergedRecord converged(String key, Map<String, Object> fields, Map<String, Long> vector,
                                             long version, List<Sibling> siblings) {
        return ConvergedRecord.newBuilder().setKey(key).setFields(new HashMap<>(fields)).setDeleted(false)
                .setVersionVector(new HashMap<>(vector)).setVersion(version)
                .setWinner(new EventRef(new io.netsplit.schemas.Dot("eu-west", 1L), version, "eu-west"))
                .setConflictState(siblings.isEmpty() ? ConflictState.NONE : ConflictState.PENDING)
                .setSiblings(siblings).setPolicy("highest-version").setUpdatedBySite(US).build();
    }

    @Test
    void shouldMintSequentialWritesWithGrowingVectorsAndVersions() {
        Writer w = new Writer();
        ChangeEvent e1 = w.write(put("k", Map.of("a", 1L)), null);
        ChangeEvent e2 = w.write(patch("k", Map.of("b", true)), null);
        assertThat(e1.getVersion()).isEqualTo(1);
        assertThat(e2.getVersion()).isEqualTo(2);
        assertThat(e1.getVersionVector()).isEqualTo(Map.of(US, 1L));
        assertThat(e2.getVersionVector()).isEqualTo(Map.of(US, 2L));
        assertThat(e2.getFields()).isEqualTo(Map.of("a", 1L, "b", true));
        assertThat(e2.getChangedFields()).containsExactly("b");
        assertThat(Vectors.fromAvro(e2.getHlc())).isGreaterThan(Vectors.fromAvro(e1.getHlc()));
    }

    @Test
    void shouldDominateARemoteWriteInTheConvergedView() {
        Writer w = new Writer();
        ConvergedRecord remote = converged("k", Map.of("status", "offline"), Map.of("eu-west", 3L), 6, List.of());
        ChangeEvent e = w.write(patch("k", Map.of("city", "Oslo")), remote);
        VersionVector v = Vectors.fromAvro(e.getVersionVector());
        assertThat(v.compare(VersionVector.of("eu-west", 3))).isEqualTo(Causality.AFTER);
        assertThat(e.getVersion()).isEqualTo(7);
        assertThat(e.getFields()).isEqualTo(Map.of("status", "offline", "city", "Oslo"));
    }

    @Test
    void shouldReplayOwnWritesTheConvergedViewHasNotSeenOnTopOfIt() {
        // Given: us-east wrote a:1 (counter 1) and b:2 (counter 2); converged has seen only counter 1,
        // plus a concurrent eu-west write c:3
        Writer w = new Writer();
        w.write(put("k", Map.of("a", 1L)), null);
        w.write(patch("k", Map.of("b", 2L)), null);
        ConvergedRecord conv = converged("k", Map.of("a", 1L, "c", 3L), Map.of(US, 1L, "eu-west", 1L), 2, List.of());

        // When: a third write patches d
        ChangeEvent e = w.write(patch("k", Map.of("d", 4L)), conv);

        // Then: the state holds the converged c, our unseen b, and d; the vector covers everything
        assertThat(e.getFields()).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L, "d", 4L));
        assertThat(e.getVersionVector()).isEqualTo(Map.of(US, 3L, "eu-west", 1L));
        assertThat(e.getVersion()).isEqualTo(3);
    }

    @Test
    void shouldListRemovedFieldsAsChangedOnAFullReplacementAndADelete() {
        Writer w = new Writer();
        w.write(put("k", Map.of("a", 1L, "b", 2L)), null);
        ChangeEvent replaced = w.write(put("k", Map.of("c", 3L)), null);
        assertThat(replaced.getChangedFields()).containsExactly("a", "b", "c");
        ChangeEvent deleted = w.write(new WriteCommand("k", Operation.DELETE, Map.of(), null, null), null);
        assertThat(deleted.getFields()).isEmpty();
        assertThat(deleted.getChangedFields()).containsExactly("c");
        WriterView view = WriterView.of(US, null, w.histories.get("k"));
        assertThat(view.exists()).isFalse();
        assertThat(view.deleted()).isTrue();
        assertThat(view.version()).isEqualTo(3);
    }

    @Test
    void shouldReadTheHlcPastTheHighestSiblingReading() {
        Writer w = new Writer();
        io.netsplit.schemas.Hlc ahead = new io.netsplit.schemas.Hlc(50_000L, 7);
        Sibling s = Sibling.newBuilder().setDot(new io.netsplit.schemas.Dot("eu-west", 2L)).setOriginSite("eu-west")
                .setVersion(3).setVersionVector(Map.of("eu-west", 2L)).setHlc(ahead).setOp(Operation.UPSERT).build();
        ConvergedRecord conv = converged("k", Map.of(), Map.of("eu-west", 2L), 3, List.of(s));
        ChangeEvent e = w.write(put("k", Map.of("x", 1L)), conv);
        assertThat(Vectors.fromAvro(e.getHlc())).isGreaterThan(new Hlc(50_000, 7));
    }

    @Test
    void shouldReadTheHlcPastTheRecordsMaxHlcAlsoWithoutSiblings() {
        // Given an lww-resolved record (no siblings) whose losing write came from a site whose clock runs 49 s ahead
        Writer w = new Writer();
        ConvergedRecord conv = converged("k", Map.of("x", 0L), Map.of("eu-west", 2L, "ap-south", 1L), 3, List.of());
        conv.setMaxHlc(new io.netsplit.schemas.Hlc(50_000L, 7));

        // When this writer, whose clock reads 1 s, writes to the key
        ChangeEvent e = w.write(put("k", Map.of("x", 1L)), conv);

        // Then its reading is past the highest reading the record had seen, and the clock stays there
        assertThat(Vectors.fromAvro(e.getHlc())).isGreaterThan(new Hlc(50_000, 7));
        ChangeEvent next = w.write(put("other", Map.of("x", 2L)), null);
        assertThat(Vectors.fromAvro(next.getHlc())).isGreaterThan(Vectors.fromAvro(e.getHlc()));
    }

    @Test
    void shouldKeepAFoldedHistoryEquivalentToTheFullOne() {
        Writer w = new Writer();
        w.write(put("k", Map.of("base", 0L)), null);
        for (long i = 0; i < KeyHistory.MAX_UNCONFIRMED * 3; i++) {
            w.write(patch("k", Map.of("f" + (i % 10), i)), null);
        }
        KeyHistory h = w.histories.get("k");
        assertThat(h.unconfirmed()).hasSizeLessThanOrEqualTo(KeyHistory.MAX_UNCONFIRMED);
        WriterView view = WriterView.of(US, null, h);
        assertThat(view.fields()).containsEntry("base", 0L).hasSize(11);
        assertThat(view.fields()).containsEntry("f1", (long) KeyHistory.MAX_UNCONFIRMED * 3 - 1);
    }

    @Test
    void shouldCheckPreconditionsAgainstTheViewsEntityTag() {
        WriterView absent = WriterView.of(US, null, null);
        assertThat(Minting.preconditionHolds(null, absent)).isTrue();
        assertThat(Minting.preconditionHolds(new Precondition.Absent(), absent)).isTrue();
        assertThat(Minting.preconditionHolds(new Precondition.Exists(), absent)).isFalse();
        Writer w = new Writer();
        w.write(put("k", Map.of("a", 1L)), null);
        WriterView one = WriterView.of(US, null, w.histories.get("k"));
        assertThat(Minting.preconditionHolds(new Precondition.Matches(List.of(one.etag())), one)).isTrue();
        assertThat(Minting.preconditionHolds(new Precondition.Matches(List.of("1-0000000000000000")), one)).isFalse();
        assertThat(Minting.preconditionHolds(new Precondition.Exists(), one)).isTrue();
        assertThat(Minting.preconditionHolds(new Precondition.Absent(), one)).isFalse();
    }

    /**
     * Two sites both mint version 1 of a key during a partition; the merge keeps one. The loser's ETag names the same
     * version as the merged state but not the same events: If-Match with it must fail (a version-only comparison
     * would let the stale write through: a lost update).
     */
    @Test
    void shouldRefuseTheLosingWritesTagAfterAMergeAtEqualVersions() {
        String loserTag = ETags.of(1, VersionVector.of("eu-west", 1));
        String winnerTag = ETags.of(1, VersionVector.of(US, 1));
        ConvergedRecord merged = ConvergedRecord.newBuilder()
                .setKey("k").setFields(Map.of("a", "us")).setDeleted(false).setVersion(1)
                .setVersionVector(Map.of(US, 1L, "eu-west", 1L)).setConflictState(io.netsplit.schemas.ConflictState.NONE)
                .setWinner(io.netsplit.schemas.EventRef.newBuilder().setDot(Vectors.toAvro(new io.netsplit.reconcile.merge.Dot(US, 1)))
                        .setVersion(1).setOriginSite(US).build()).setSiblings(List.of()).setPolicy("lww").setLastDecisionId("d1").setUpdatedBySite(US)
                .build();
        WriterView view = WriterView.of(US, merged, null);
        assertThat(view.version()).isEqualTo(1);
        assertThat(Minting.preconditionHolds(new Precondition.Matches(List.of(loserTag)), view)).isFalse();
        assertThat(Minting.preconditionHolds(new Precondition.Matches(List.of(winnerTag)), view)).isFalse();
        assertThat(Minting.preconditionHolds(new Precondition.Matches(
                List.of(ETags.of(merged.getVersion(), merged.getVersionVector()))), view)).isTrue();
    }
}
