package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The containers lab where a Docker engine answers: brokers, registry and Toxiproxy links reachable
 * through the descriptor it writes. Elsewhere every test reports "skipped: no Docker engine".
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(ContainersLabExtension.class)
class ContainersLabIT {

    @Test
    void shouldDescribeEverySiteAndLinkInLabJson(Lab lab) {
        LabDescriptor written = LabDescriptor.read(lab.runDir());
        assertThat(written.state()).isEqualTo("ready");
        assertThat(written.sites()).extracting(SiteDescriptor::name).containsExactlyElementsOf(ContainersLabExtension.sites());
        assertThat(written.links()).hasSize(lab.sites().size() * (lab.sites().size() - 1));
        assertThat(written.linkControl()).containsEntry(LinkControls.DRIVER, LinkControls.TOXIPROXY);
    }

    @Test
    void shouldReachEverySitesBroker(Lab lab) throws Exception {
        for (SiteDescriptor site : lab.sites()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, site.bootstrap()))) {
                assertThat(admin.describeCluster().nodes().get(60, TimeUnit.SECONDS)).as(site.name()).hasSize(1);
            }
        }
    }

    @Test
    void shouldServeTheConfluentApiOfTheRegistry(Lab lab) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(lab.registryUrl() + "/subjects")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).startsWith("[");
    }

    @Test
    void shouldCutAndHealEachLinkThroughToxiproxy(Lab lab) {
        LinkControl links = LinkControls.fromDescriptor(lab.descriptor());
        List<String> sites = lab.sites().stream().map(SiteDescriptor::name).toList();
        String a = sites.get(0);
        String b = sites.get(1);
        assertThat(links.links()).allMatch(l -> l.cut() == null);
        links.cutOneWay(a, b, CutStyle.BLACKHOLE);
        try {
            assertThat(links.link(a, b).cut()).isEqualTo(CutStyle.BLACKHOLE);
            assertThat(links.link(b, a).cut()).isNull();
        } finally {
            links.healOneWay(a, b);
        }
        assertThat(links.link(a, b).cut()).isNull();
    }
}
