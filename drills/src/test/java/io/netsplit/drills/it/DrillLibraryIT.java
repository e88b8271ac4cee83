package io.netsplit.drills.it;

import io.netsplit.drills.scenario.Scenario;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every two-site scenario of the library ({@code drills/scenarios/}, found by listing it: a new
 * manifest runs here without being named) passes on one shared lab whose reconcilers map the
 * library's key prefixes (auth- → authoritative-site, manual- → manual; see the failsafe
 * configuration). Each scenario uses its own keys; the status checker judges each drill's own counts.
 * {@code LibraryCoverageTest} fails fast when a manifest's sites match neither this lab nor the
 * three-site one.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
class DrillLibraryIT {

    static List<String> twoSiteScenarios() {
        return DrillHarness.library(DrillHarness.TWO_SITES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoSiteScenarios")
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void scenarioPasses(String name, Lab lab) {
        Scenario s = DrillHarness.scenario(name);
        DrillHarness.Outcome o = DrillHarness.run(lab, s);
        assertThat(o.report().passed()).as(o.failures()).isTrue();
        assertThat(o.report().verdicts()).extracting(v -> v.checker()).contains("convergence", "no-lost-writes");
    }
}
