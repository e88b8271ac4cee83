package io.netsplit.mirror;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three sites (run with {@code -Dlab.sites=a,b,c}): isolating two of them leaves both connected to
 * the third, and MM2 does not relay one site's changes through another (no {@code a.b.changes}).
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class ThreeSiteIsolationIT {

    @Test
    void isolatingTwoSitesLeavesBothConnectedToTheThirdAndHealingLosesNothing(Lab lab) {
        // the failsafe execution "three-sites" gives it three; in the two-site JVM it says why it does not run
        Assumptions.assumeTrue(lab.sites().size() == 3, "needs a three-site lab (-Dlab.sites=a,b,c)");
        String a = lab.sites().get(0).name();
        String b = lab.sites().get(1).name();
        String c = lab.sites().get(2).name();
        String run = "three-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        LinkHealthClient health = LinkHealthClient.fromDescriptor(d);
        try (LinkControl links = LinkControls.fromDescriptor(d)) {
            links.isolate(a, b, CutStyle.REFUSE);
            try {
                // Given: writes at a and at b while they are isolated from each other
                try (var pa = Topics.producer(lab.site(a).bootstrap()); var pb = Topics.producer(lab.site(b).bootstrap())) {
                    for (int i = 0; i < 10; i++) {
                        Topics.write(pa, "changes", run + a, Integer.toString(i));
                        Topics.write(pb, "changes", run + b, Integer.toString(i));
                    }
                }
                // Then: c receives both ...
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(Topics.values(lab.site(c).bootstrap(), a + ".changes", run + a)).hasSize(10);
                    assertThat(Topics.values(lab.site(c).bootstrap(), b + ".changes", run + b)).hasSize(10);
                });
                // ... the cut pair sees its links cut and the others up ...
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(health.links()).allSatisfy(l ->
                        assertThat(l.status()).isEqualTo(isPair(l, a, b) ? LinkStatus.CUT : LinkStatus.UP)));
                // ... and nothing reached a from b or b from a, not even relayed through c
                assertThat(Topics.values(lab.site(b).bootstrap(), a + ".changes", run + a)).isEmpty();
                assertThat(Topics.values(lab.site(a).bootstrap(), b + ".changes", run + b)).isEmpty();
            } finally {
                links.heal(a, b);
            }
            // When healed, everything arrives everywhere, once per source topic
            List<String> expected = java.util.stream.IntStream.range(0, 10).mapToObj(Integer::toString).toList();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(Topics.values(lab.site(b).bootstrap(), a + ".changes", run + a)).containsExactlyElementsOf(expected);
                assertThat(Topics.values(lab.site(a).bootstrap(), b + ".changes", run + b)).containsExactlyElementsOf(expected);
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(health.links())
                    .hasSize(6).allSatisfy(l -> assertThat(l.status()).isEqualTo(LinkStatus.UP)));
        }
    }

    private static boolean isPair(LinkHealth l, String a, String b) {
        return (l.source().equals(a) && l.target().equals(b)) || (l.source().equals(b) && l.target().equals(a));
    }
}
