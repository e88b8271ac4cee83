package io.netsplit.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeTrackerTest {

    private static final ProbeTracker.Result OK = new ProbeTracker.Result(true, 2, null);
    private static final ProbeTracker.Result SLOW = new ProbeTracker.Result(true, 300, null);
    private static final ProbeTracker.Result FAIL = new ProbeTracker.Result(false, 2000, "Connection refused");

    private final ProbeTracker tracker = new ProbeTracker("link a->b", 3, 2, 100, 3, 60_000, 0);

    @Test
    void shouldNotDeclareDownBeforeTheFailureThreshold() {
        tracker.record(FAIL, 1000);
        tracker.record(FAIL, 2000);
        assertThat(tracker.view().down()).isFalse();
        assertThat(tracker.view().consecutiveFailures()).isEqualTo(2);
        assertThat(tracker.view().error()).isEqualTo("Connection refused");
        tracker.record(FAIL, 3000);
        assertThat(tracker.view().down()).isTrue();
        // down since the first failed probe, not since the threshold was reached
        assertThat(tracker.view().sinceMs()).isEqualTo(1000);
    }

    @Test
    void shouldForgiveASingleFailedProbe() {
        tracker.record(FAIL, 1000);
        tracker.record(OK, 2000);
        tracker.record(FAIL, 3000);
        tracker.record(FAIL, 4000);
        assertThat(tracker.view().down()).isFalse();
    }

    @Test
    void shouldRecoverOnlyAfterTheRecoveryThreshold() {
        for (int i = 1; i <= 3; i++) {
            tracker.record(FAIL, i * 1000L);
        }
        tracker.record(OK, 4000);
        assertThat(tracker.view().down()).isTrue();
        assertThat(tracker.view().consecutiveSuccesses()).isEqualTo(1);
        tracker.record(OK, 5000);
        assertThat(tracker.view().down()).isFalse();
        assertThat(tracker.view().sinceMs()).isEqualTo(4000);
    }

    @Test
    void shouldCallSlowOnlyAfterTheThresholdOfSlowProbesInARow() {
        tracker.record(SLOW, 1000);
        tracker.record(SLOW, 2000);
        assertThat(tracker.view().slow()).isFalse();
        tracker.record(SLOW, 3000);
        assertThat(tracker.view().slow()).isTrue();
        assertThat(tracker.view().rttMs()).isEqualTo(300);
        tracker.record(OK, 4000);
        assertThat(tracker.view().slow()).isFalse();
    }

    @Test
    void shouldCallFlappingAfterManyChangesWithinTheWindowAndForgetThemLater() {
        long t = 0;
        for (int cycle = 0; cycle < 2; cycle++) {
            for (int i = 0; i < 3; i++) {
                tracker.record(FAIL, t += 1000);
            }
            for (int i = 0; i < 2; i++) {
                tracker.record(OK, t += 1000);
            }
        }
        assertThat(tracker.view().down()).isFalse();
        assertThat(tracker.view().changesInWindow()).isEqualTo(4);
        assertThat(tracker.view().flapping()).isTrue();
        tracker.record(OK, t + 120_000);
        assertThat(tracker.view().flapping()).isFalse();
    }
}
