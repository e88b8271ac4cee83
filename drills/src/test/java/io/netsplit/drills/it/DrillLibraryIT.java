package io.netsplit.drills.it;

import io.netsplit.drills.scenario.Scenario;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every two-site scenario of the library passes on one shared lab whose reconcilers map the
 * library's key prefixes (auth- → authoritative-site, manual- → manual; see the failsafe
 * configuration). Each scenario uses its own keys; the status checker judges each drill's own counts.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
class DrillLibraryIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"golden-path", "fourteen-conflicts", "policies", "one-way", "manual-resolution",
            "reconnect-during-writes", "flapping", "partial-audit-loss", "crash-mid-merge"})
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void scenarioPasses(String name, Lab lab) {
        Scenario s = DrillHarness.scenario(name);
        DrillHarness.Outcome o = DrillHarness.run(lab, s);
        assertThat(o.report().passed()).as(o.failures()).isTrue();
        assertThat(o.report().verdicts()).extracting(v -> v.checker()).contains("convergence", "no-lost-writes");
    }
}
