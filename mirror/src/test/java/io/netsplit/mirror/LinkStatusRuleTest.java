package io.netsplit.mirror;

import org.junit.jupiter.api.Test;

import static io.netsplit.mirror.LinkStatus.CUT;
import static io.netsplit.mirror.LinkStatus.DEGRADED;
import static io.netsplit.mirror.LinkStatus.RECOVERING;
import static io.netsplit.mirror.LinkStatus.UP;
import static org.assertj.core.api.Assertions.assertThat;

class LinkStatusRuleTest {

    private static final MirrorConfig CONFIG = MirrorConfig.defaults(); // degraded: rtt > 50 ms, lag > 5000 ms

    @Test
    void aFailedProbeIsACutWhateverTheLag() {
        assertThat(LinkStatusRule.decide(UP, false, null, 0L, 0L, true, CONFIG)).isEqualTo(CUT);
        assertThat(LinkStatusRule.decide(RECOVERING, false, 3L, 500L, 9000L, true, CONFIG)).isEqualTo(CUT);
    }

    @Test
    void aHealedLinkRecoversUntilTheBacklogIsGone() {
        assertThat(LinkStatusRule.decide(CUT, true, null, 1200L, 30_000L, true, CONFIG)).isEqualTo(RECOVERING);
        assertThat(LinkStatusRule.decide(RECOVERING, true, 2L, 10L, 900L, true, CONFIG)).isEqualTo(RECOVERING);
        assertThat(LinkStatusRule.decide(RECOVERING, true, 2L, 0L, 0L, true, CONFIG)).isEqualTo(UP);
        assertThat(LinkStatusRule.decide(CUT, true, null, 0L, 0L, true, CONFIG)).isEqualTo(UP);
    }

    @Test
    void aSlowOrStaleOrUnmirroredLinkIsDegraded() {
        assertThat(LinkStatusRule.decide(UP, true, 120L, 0L, 0L, true, CONFIG)).as("slow").isEqualTo(DEGRADED);
        assertThat(LinkStatusRule.decide(UP, true, 2L, 40L, 6000L, true, CONFIG)).as("stale").isEqualTo(DEGRADED);
        assertThat(LinkStatusRule.decide(UP, true, 2L, 40L, 100L, false, CONFIG)).as("mirror down").isEqualTo(DEGRADED);
    }

    @Test
    void steadyReplicationWithRecordsInFlightIsUp() {
        assertThat(LinkStatusRule.decide(UP, true, 1L, 25L, 400L, true, CONFIG)).isEqualTo(UP);
        assertThat(LinkStatusRule.decide(UP, true, null, null, null, null, CONFIG)).isEqualTo(UP);
        assertThat(LinkStatusRule.decide(DEGRADED, true, 1L, 0L, 0L, false, CONFIG)).as("mirror down, nothing waiting").isEqualTo(UP);
    }
}
