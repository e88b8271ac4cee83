package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.Operation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdempotencyWindowTest {

    private static WriteReceipt receipt(String idem, long counter, long wallClock) {
        return new WriteReceipt("k", Operation.UPSERT, new Dot("us-east", counter), counter,
                VersionVector.of("us-east", counter), new Hlc(wallClock, 0), wallClock, idem, 201, null);
    }

    @Test
    void shouldRememberTheFirstWriteOfAKeyWithinTheWindow() {
        IdempotencyWindow w = new IdempotencyWindow(Duration.ofSeconds(10), 100);
        w.remember(receipt("a", 1, 1_000), 1_000);
        w.remember(receipt("a", 2, 2_000), 2_000);
        assertThat(w.find("a", 5_000).dot().counter()).isEqualTo(1);
        assertThat(w.find("a", 11_001)).isNull();
        assertThat(w.find("b", 5_000)).isNull();
    }

    @Test
    void shouldForgetTheOldestBeyondTheLimit() {
        IdempotencyWindow w = new IdempotencyWindow(Duration.ofHours(1), 2);
        w.remember(receipt("a", 1, 1_000), 1_000);
        w.remember(receipt("b", 2, 1_001), 1_001);
        w.remember(receipt("c", 3, 1_002), 1_002);
        assertThat(w.size()).isEqualTo(2);
        assertThat(w.find("a", 1_003)).isNull();
        assertThat(w.find("c", 1_003)).isNotNull();
    }
}
