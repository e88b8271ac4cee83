package io.netsplit.mirror;

import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
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

/** A crashed MM2 (SIGKILL, as a drill does) is seen by link health and loses nothing once restarted. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class MirrorProcessIT {

    @Test
    void aKilledMirrorIsReportedAndResumesWithoutLossWhenRestarted(EmbeddedLab lab) {
        String source = "us-east";
        String target = "eu-west";
        String key = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        LinkHealthClient health = LinkHealthClient.fromDescriptor(LabDescriptor.read(lab.runDir()));
        try (LoadGenerator load = new LoadGenerator(lab.site(source).bootstrap(), key, 10)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> received(lab, source, target, key).size() >= 10);

            // When: the target's MM2 crashes while the source keeps writing
            lab.kill("mirror", target);
            try {
                // Then: the link is up but the mirror is down and records wait: degraded
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    LinkHealth h = health.link(source, target);
                    assertThat(h.mirrorRunning()).isFalse();
                    assertThat(h.probeOk()).isTrue();
                    assertThat(h.lagRecords()).isPositive();
                    assertThat(h.status()).isEqualTo(LinkStatus.DEGRADED);
                });
            } finally {
                load.stop();
                lab.restart("mirror", target);
            }
            long restarted = System.nanoTime();
            // and after the restart every acknowledged record arrives, in order; re-sent ones are counted
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    Delivery.of(load.acked(), received(lab, source, target, key)).missing().isEmpty());
            Delivery d = Delivery.of(load.acked(), received(lab, source, target, key));
            System.out.printf("MM2 SIGKILL + restart: caught up %d ms after restart; acknowledged %d, received %d, "
                            + "duplicates %d, in order %s%n", Duration.ofNanos(System.nanoTime() - restarted).toMillis(),
                    d.acknowledged(), d.received(), d.duplicates(), d.inOrder());
            assertThat(d.missing()).isEmpty();
            assertThat(d.inOrder()).isTrue();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(health.link(source, target).status()).isEqualTo(LinkStatus.UP));
        }
    }

    private static List<String> received(EmbeddedLab lab, String source, String target, String key) {
        return Topics.read(lab.site(target).bootstrap(), source + ".changes", k -> k.equals(key)).stream()
                .map(r -> r.value()).toList();
    }
}
