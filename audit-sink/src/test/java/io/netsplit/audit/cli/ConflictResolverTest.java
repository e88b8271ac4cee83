package io.netsplit.audit.cli;

import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Dot;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Hlc;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConflictResolverTest {

    private static Sibling sibling(String site, long counter, Operation op, Map<String, Object> fields) {
        return Sibling.newBuilder().setDot(new Dot(site, counter)).setOriginSite(site).setVersion(5L)
                .setVersionVector(Map.of(site, counter)).setHlc(new Hlc(1L, 0)).setOp(op).setFields(fields).build();
    }

    private static ConvergedRecord record(ConflictState state, List<Sibling> siblings) {
        return ConvergedRecord.newBuilder().setKey("user42").setFields(Map.of("status", "online")).setDeleted(false)
                .setVersionVector(Map.of("us-east", 3L, "eu-west", 2L)).setVersion(5L)
                .setWinner(new EventRef(new Dot("us-east", 3L), 5L, "us-east")).setConflictState(state)
                .setSiblings(siblings).setPolicy("manual").setUpdatedBySite("us-east").build();
    }

    private static ConflictResolver resolver(ConvergedRecord r) {
        return new ConflictResolver((site, key) -> Optional.ofNullable(r));
    }

    private static final ConvergedRecord PENDING = record(ConflictState.PENDING, List.of(
            sibling("us-east", 3, Operation.UPSERT, Map.of("status", "online")),
            sibling("eu-west", 2, Operation.UPSERT, Map.of("status", "offline", "seen", 7L))));

    @Test
    void shouldKeepTheFieldsOfTheChosenSibling() {
        ConflictResolver.Plan plan = resolver(PENDING).plan("user42", "us-east", "eu-west", null);

        assertThat(plan.delete()).isFalse();
        assertThat(plan.fields()).containsEntry("status", "offline").containsEntry("seen", 7L).hasSize(2);
        assertThat(plan.siblings()).containsExactly("us-east:3", "eu-west:2");
    }

    @Test
    void shouldWriteADeleteWhenTheKeptSiblingIsOne() {
        ConvergedRecord r = record(ConflictState.PENDING, List.of(sibling("us-east", 3, Operation.UPSERT, Map.of()),
                sibling("eu-west", 2, Operation.DELETE, Map.of())));

        assertThat(resolver(r).plan("user42", "us-east", "eu-west", null).delete()).isTrue();
    }

    @Test
    void shouldWriteOperatorFields() {
        ConflictResolver.Plan plan = resolver(PENDING).plan("user42", "us-east", null, Map.of("status", "away"));

        assertThat(plan.fields()).containsExactly(Map.entry("status", "away"));
    }

    @Test
    void shouldRefuseWhatIsNotAPendingConflict() {
        assertThatThrownBy(() -> resolver(record(ConflictState.RESOLVED, List.of())).plan("user42", "us-east", "eu-west", null))
                .hasMessage("key 'user42' has no pending conflict at us-east (conflict state RESOLVED)");
        assertThatThrownBy(() -> resolver(null).plan("user42", "us-east", "eu-west", null))
                .hasMessage("key 'user42' has no converged state at us-east");
        assertThatThrownBy(() -> resolver(PENDING).plan("user42", "us-east", "ap-south", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comes from ap-south")
                .hasMessageContaining("[us-east:3, eu-west:2]");
    }
}
