package io.netsplit.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DurabilityCheckTest {

    @Test
    void shouldRefuseTopicsThatCannotKeepACommitThroughABrokerLossUnlessWarningsAreAllowed() {
        List<String> problems = List.of("topic converged: replication factor 1 < 3, min.insync.replicas 1 < 2",
                "topic audit: replication factor 1 < 3, min.insync.replicas 1 < 2");
        assertThat(DurabilityCheck.outcome(problems, false)).hasValue("topic converged: replication factor 1 < 3, "
                + "min.insync.replicas 1 < 2; topic audit: replication factor 1 < 3, min.insync.replicas 1 < 2: a committed "
                + "merge result would not survive the loss of one broker (set reconcile.durability.check=warn to start anyway)");
        assertThat(DurabilityCheck.outcome(problems, true)).isEmpty();
        assertThat(DurabilityCheck.outcome(List.of(), false)).isEmpty();
    }
}
