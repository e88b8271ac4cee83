package io.netsplit.mirror;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import io.netsplit.lab.SiteDescriptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replication across every ordered site pair of the lab (2 sites, or 3 with -Dlab.sites). */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class MirrorReplicationIT {

    @Test
    void aRecordWrittenAtAnySiteAppearsAtEveryOtherSiteAndNothingLoops(Lab lab) throws Exception {
        String run = "repl-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        // Given: five records written at each site
        for (SiteDescriptor site : lab.sites()) {
            try (KafkaProducer<String, String> p = Topics.producer(site.bootstrap())) {
                for (int i = 0; i < 5; i++) {
                    Topics.write(p, "changes", run + site.name() + "-" + i, site.name() + ":" + i);
                }
            }
        }
        // Then: each arrives at every other site as <source>.changes, in order
        for (SiteDescriptor target : lab.sites()) {
            for (SiteDescriptor source : lab.sites()) {
                if (source.name().equals(target.name())) {
                    continue;
                }
                List<String> expected = IntStream.range(0, 5).mapToObj(i -> source.name() + ":" + i).toList();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        Topics.values(target.bootstrap(), source.name() + ".changes", run + source.name()))
                        .containsExactlyElementsOf(expected));
            }
        }
        // and nothing is mirrored twice: no <a>.<b>.changes anywhere, and no remote copy of a site's own writes
        for (SiteDescriptor site : lab.sites()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, site.bootstrap()))) {
                Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertThat(topics).noneMatch(t -> t.matches(".+\\..+\\.changes"));
                assertThat(topics).doesNotContain(site.name() + ".changes");
                assertThat(Topics.values(site.bootstrap(), "changes", run)).allMatch(v -> v.startsWith(site.name() + ":"));
            }
        }
    }

    @Test
    void theDescriptorNamesTheLinkDriverTheHealthEndpointAndEveryLinkIsUp(Lab lab) {
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        assertThat(d.linkControl()).containsKeys(LinkControls.DRIVER, LinkControls.URL, LinkControls.HEALTH);
        assertThat(d.sites()).allSatisfy(s -> assertThat(s.service("mirror")).isPresent());
        assertThat(d.processes()).filteredOn(p -> p.component().equals("mirror")).hasSize(lab.sites().size());
        try (LinkControl links = LinkControls.fromDescriptor(d)) {
            assertThat(links.links()).hasSize(d.links().size()).allMatch(LinkState::isClear);
        }
        LinkHealthClient health = LinkHealthClient.fromDescriptor(d);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(health.links())
                .hasSize(d.links().size())
                .allSatisfy(l -> {
                    assertThat(l.status()).isEqualTo(LinkStatus.UP);
                    assertThat(l.lagRecords()).isZero();
                    assertThat(l.mirrorRunning()).isTrue();
                }));
        assertThat(health.prometheus()).contains("mirror_link_lag_records{", "mirror_link_status{");
    }
}
