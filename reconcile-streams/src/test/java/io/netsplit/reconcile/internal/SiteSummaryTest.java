package io.netsplit.reconcile.internal;

import io.netsplit.reconcile.merge.TableDigest;
import io.netsplit.reconcile.merge.VersionVector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SiteSummaryTest {

    @Test
    void shouldKeepTheSameDigestAsTheMergeCoresTableDigest() {
        Random random = new Random(11);
        SiteSummary.Builder b = SiteSummary.empty().toBuilder();
        TableDigest expected = TableDigest.empty();
        List<byte[]> present = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            if (!present.isEmpty() && random.nextInt(3) == 0) {
                byte[] gone = present.remove(random.nextInt(present.size()));
                b.minus(gone);
                expected = expected.minus(gone);
            } else {
                byte[] d = new byte[32];
                random.nextBytes(d);
                if (i % 97 == 0) {
                    java.util.Arrays.fill(d, (byte) 0xff); // carries through every word
                }
                present.add(d);
                b.plus(d);
                expected = expected.plus(d);
            }
            if (i % 500 == 0) {
                assertThat(b.digest()).isEqualTo(expected);
            }
        }
        assertThat(b.digest()).isEqualTo(expected);
        assertThat(b.digest().hex()).isEqualTo(expected.hex());
    }

    @Test
    void shouldRoundTripThroughItsEncoding() {
        SiteSummary.Builder b = SiteSummary.empty().toBuilder();
        b.compared = 12;
        b.conflicts = 3;
        b.merged = 2;
        b.pending = 1;
        b.sequence = 7;
        b.retried = 4;
        b.frontier = VersionVector.of("us-east", 7L, "eu-west", 1L);
        byte[] d = new byte[32];
        d[31] = 5;
        b.plus(d);
        SiteSummary built = b.build();
        assertThat(b.encode()).isEqualTo(built.encode());
        SiteSummary back = SiteSummary.decode(b.encode());
        assertThat(back).isEqualTo(built);
        assertThat(back.toBuilder().encode()).isEqualTo(b.encode());
        assertThat(SiteSummary.decode(SiteSummary.empty().encode())).isEqualTo(SiteSummary.empty());
    }

    @Test
    void shouldAddTasksSummaries() {
        SiteSummary.Builder a = SiteSummary.empty().toBuilder();
        SiteSummary.Builder b = SiteSummary.empty().toBuilder();
        a.conflicts = 1;
        b.conflicts = 2;
        a.frontier = VersionVector.of("x", 3L);
        b.frontier = VersionVector.of("x", 1L, "y", 2L);
        byte[] d = new byte[32];
        d[0] = 1;
        a.plus(d);
        b.plus(d);
        SiteSummary sum = a.build().plus(b.build());
        assertThat(sum.conflicts()).isEqualTo(3);
        assertThat(sum.frontier()).isEqualTo(VersionVector.of("x", 3L, "y", 2L));
        assertThat(sum.digest()).isEqualTo(TableDigest.empty().plus(d).plus(d));
    }
}
