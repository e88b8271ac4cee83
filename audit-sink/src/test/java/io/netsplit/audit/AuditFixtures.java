package io.netsplit.audit;

import io.netsplit.audit.store.SourcePosition;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.Candidate;
import io.netsplit.schemas.DecisionConflictState;
import io.netsplit.schemas.DecisionKind;
import io.netsplit.schemas.Dot;

import java.util.List;
import java.util.Map;

/** Audit events and stored decisions for tests: a deterministic scripted conflict history. */
public final class AuditFixtures {

    public static final long T0 = 1_790_000_000_000L;

    private AuditFixtures() {
    }

    /** A concurrent update of {@code key} between us-east and eu-west, decided by highest version. */
    public static AuditEvent conflict(String decidingSite, long sequence, String key) {
        long us = sequence + 10;
        long eu = sequence + 3;
        return AuditEvent.newBuilder()
                .setDecisionId("d-" + key + "-" + sequence)
                .setDecidingSite(decidingSite)
                .setSequence(sequence)
                .setKey(key)
                .setKind(DecisionKind.CONCURRENT_UPDATE)
                .setPolicy("highest-version")
                .setCandidates(List.of(
                        candidate("us-east", us, 7, Map.of("us-east", us, "eu-west", eu - 1), "aa" + sequence),
                        candidate("eu-west", eu, 6, Map.of("us-east", us - 1, "eu-west", eu), "bb" + sequence)))
                .setWinner(new Dot("us-east", us))
                .setResultingVector(Map.of("us-east", us, "eu-west", eu))
                .setReason("highest version wins: us-east v7 over eu-west v6")
                .setDecidedAtMillis(T0 + sequence * 1000)
                .setConflictState(DecisionConflictState.RESOLVED)
                .build();
    }

    /** A pending manual conflict (no winner). */
    public static AuditEvent pendingManual(String decidingSite, long sequence, String key) {
        AuditEvent e = conflict(decidingSite, sequence, key);
        e.setPolicy("manual");
        e.setWinner(null);
        e.setReason("manual policy: conflict pending between us-east and eu-west");
        e.setConflictState(DecisionConflictState.PENDING);
        return e;
    }

    /** The operator's resolution of a pending conflict. */
    public static AuditEvent resolution(String decidingSite, long sequence, String key) {
        AuditEvent e = conflict(decidingSite, sequence, key);
        e.setKind(DecisionKind.MANUAL_RESOLUTION);
        e.setPolicy("manual");
        e.setCandidates(List.of(candidate("eu-west", 40L, 9L, Map.of("us-east", 30L, "eu-west", 40L), "cc")));
        e.setWinner(new Dot("eu-west", 40L));
        e.setReason("manual resolution dominates every sibling");
        e.setConflictState(DecisionConflictState.MANUALLY_RESOLVED);
        return e;
    }

    public static AuditEvent stale(String decidingSite, long sequence, String key) {
        AuditEvent e = conflict(decidingSite, sequence, key);
        e.setKind(DecisionKind.STALE);
        e.setReason("already dominated");
        e.setConflictState(DecisionConflictState.NONE);
        return e;
    }

    public static Candidate candidate(String site, long counter, long version, Map<String, Long> vv, String digest) {
        return Candidate.newBuilder().setDot(new Dot(site, counter)).setSite(site).setVersion(version)
                .setVersionVector(vv).setFieldsDigest(digest).build();
    }

    /** The store row of {@code e}, as if read from {@code audit[0]@offset}. */
    public static StoredDecision stored(AuditEvent e, long offset) {
        return AuditRecords.toStored(e, new SourcePosition("audit", 0, offset));
    }

    /** Conflicts with sequences from..to (inclusive) of one deciding site, offsets equal to sequences. */
    public static List<StoredDecision> storedRange(String decidingSite, long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to)
                .mapToObj(s -> stored(conflict(decidingSite, s, "key-" + (s % 5)), s)).toList();
    }
}
