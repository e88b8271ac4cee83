package io.netsplit.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realistic instances of every record type, for tests. */
public final class SampleRecords {

    private SampleRecords() {
    }

    /** The golden-path write: user42 goes online at us-east, version 7. */
    public static ChangeEvent changeEvent(String key, long counter) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "online");
        fields.put("logins", 42L);
        fields.put("score", 0.75);
        fields.put("verified", true);
        fields.put("nickname", null);
        return ChangeEvent.newBuilder()
                .setKey(key)
                .setOriginSite("us-east")
                .setDot(new Dot("us-east", counter))
                .setVersionVector(Map.of("us-east", counter, "eu-west", 3L))
                .setVersion(counter + 1)
                .setHlc(new Hlc(1_763_000_000_000L + counter, 2))
                .setOp(Operation.UPSERT)
                .setFields(fields)
                .setChangedFields(List.of("status"))
                .setIdempotencyKey("req-" + counter)
                .setWallClockMillis(1_763_000_000_123L)
                .build();
    }

    /** A pending manual conflict between a us-east and an eu-west write. */
    public static ConvergedRecord convergedRecord(String key) {
        Sibling east = Sibling.newBuilder()
                .setDot(new Dot("us-east", 7L)).setOriginSite("us-east").setVersion(7L)
                .setVersionVector(Map.of("us-east", 7L, "eu-west", 5L))
                .setHlc(new Hlc(1_763_000_000_000L, 0)).setOp(Operation.UPSERT)
                .setFields(Map.of("status", "online"))
                .build();
        Sibling west = Sibling.newBuilder()
                .setDot(new Dot("eu-west", 6L)).setOriginSite("eu-west").setVersion(6L)
                .setVersionVector(Map.of("us-east", 6L, "eu-west", 6L))
                .setHlc(new Hlc(1_763_000_000_001L, 0)).setOp(Operation.DELETE)
                .setFields(Map.of())
                .build();
        return ConvergedRecord.newBuilder()
                .setKey(key)
                .setFields(Map.of("status", "online"))
                .setDeleted(false)
                .setVersionVector(Map.of("us-east", 7L, "eu-west", 6L))
                .setVersion(7L)
                .setWinner(new EventRef(new Dot("us-east", 7L), 7L, "us-east"))
                .setConflictState(ConflictState.PENDING)
                .setSiblings(List.of(east, west))
                .setPolicy("manual")
                .setLastDecisionId("d-3f2a")
                .setUpdatedBySite("eu-west")
                .setMaxHlc(new Hlc(1_763_000_000_001L, 0))
                .build();
    }

    /** The golden-path decision: us-east v7 beats eu-west v6 by highest version. */
    public static AuditEvent auditEvent(String key, long sequence) {
        Candidate east = new Candidate(new Dot("us-east", 7L), "us-east", 7L, Map.of("us-east", 7L, "eu-west", 5L), "9f86d081");
        Candidate west = new Candidate(new Dot("eu-west", 6L), "eu-west", 6L, Map.of("us-east", 6L, "eu-west", 6L), "60303ae2");
        return AuditEvent.newBuilder()
                .setDecisionId("d-3f2a")
                .setDecidingSite("us-east")
                .setSequence(sequence)
                .setKey(key)
                .setKind(DecisionKind.CONCURRENT_UPDATE)
                .setPolicy("highest-version")
                .setCandidates(List.of(east, west))
                .setWinner(new Dot("us-east", 7L))
                .setResultingVector(Map.of("us-east", 7L, "eu-west", 6L))
                .setReason("highest version wins: us-east v7 over eu-west v6")
                .setDecidedAtMillis(1_763_000_000_500L)
                .setConflictState(DecisionConflictState.RESOLVED)
                .build();
    }
}
