package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DurabilityCheckTest {

    @Test
    void shouldRefuseATopicThatCannotKeepAWriteThroughABrokerLossUnlessWarningsAreAllowed() {
        List<String> problems = List.of("topic changes: replication factor 1 < 3, min.insync.replicas 1 < 2");
        assertThat(DurabilityCheck.outcome(problems, false)).hasValue("topic changes: replication factor 1 < 3, "
                + "min.insync.replicas 1 < 2: an acknowledged write would not survive the loss of one broker "
                + "(set writer.durability.check=warn to start anyway)");
        assertThat(DurabilityCheck.outcome(problems, true)).isEmpty();
        assertThat(DurabilityCheck.outcome(List.of(), false)).isEmpty();
    }
}
