package io.netsplit.audit;

import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.DecisionConflictState;
import io.netsplit.schemas.DecisionKind;
import io.netsplit.schemas.Dot;
import org.junit.jupiter.api.Test;

import static io.netsplit.audit.AuditFixtures.conflict;
import static io.netsplit.audit.AuditFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

class AuditRecordsTest {

    @Test
    void shouldStoreTheConflictStateTheReconcilerWrote() {
        AuditEvent e = conflict("us-east", 1, "k");
        e.setPolicy("manual");
        e.setConflictState(DecisionConflictState.RESOLVED);

        assertThat(stored(e, 1).conflictState()).isEqualTo("RESOLVED");
    }

    @Test
    void shouldInferTheStateOfARecordWrittenBeforeTheFieldAsTheStoreDidBefore() {
        assertThat(legacy(DecisionKind.CONCURRENT_UPDATE, "manual", new Dot("us-east", 3L))).isEqualTo("PENDING");
        assertThat(legacy(DecisionKind.DELETE_VS_UPDATE, "highest-version", null)).isEqualTo("PENDING");
        assertThat(legacy(DecisionKind.CONCURRENT_UPDATE, "lww", new Dot("us-east", 3L))).isEqualTo("RESOLVED");
        assertThat(legacy(DecisionKind.MANUAL_RESOLUTION, "manual", new Dot("us-east", 3L))).isEqualTo("MANUALLY_RESOLVED");
        assertThat(legacy(DecisionKind.DUPLICATE, "manual", new Dot("us-east", 3L))).isEqualTo("NONE");
    }

    private static String legacy(DecisionKind kind, String policy, Dot winner) {
        AuditEvent e = conflict("us-east", 1, "k");
        e.setKind(kind);
        e.setPolicy(policy);
        e.setWinner(winner);
        e.setConflictState(null);
        return stored(e, 1).conflictState();
    }
}
