package io.netsplit.drills.it;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The three-sites scenario on a three-site lab (its own failsafe execution: -Dlab.sites=us-east,eu-west,ap-south). */
@Tag("integration")
@ExtendWith(LabExtension.class)
class ThreeSitesIT {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeSitesConverge(Lab lab) {
        DrillHarness.Outcome o = DrillHarness.run(lab, DrillHarness.scenario("three-sites"));
        assertThat(o.report().passed()).as(o.failures()).isTrue();
        assertThat(o.report().digests()).hasSize(3);
        assertThat(o.report().digests().values()).containsOnly(o.report().digests().get("us-east"));
    }
}
