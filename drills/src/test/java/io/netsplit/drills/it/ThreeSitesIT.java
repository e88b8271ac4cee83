package io.netsplit.drills.it;

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
 * Every three-site scenario of the library (listed, as {@code DrillLibraryIT} lists the two-site
 * ones) on a three-site lab: its own failsafe execution, {@code -Dlab.sites=us-east,eu-west,ap-south}.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
class ThreeSitesIT {

    static List<String> threeSiteScenarios() {
        return DrillHarness.library(DrillHarness.THREE_SITES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeSiteScenarios")
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeSitesConverge(String name, Lab lab) {
        DrillHarness.Outcome o = DrillHarness.run(lab, DrillHarness.scenario(name));
        assertThat(o.report().passed()).as(o.failures()).isTrue();
        assertThat(o.report().digests()).hasSize(3);
        assertThat(o.report().digests().values()).containsOnly(o.report().digests().get("us-east"));
    }
}
