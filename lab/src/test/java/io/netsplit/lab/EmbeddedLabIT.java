package io.netsplit.lab;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class EmbeddedLabIT {

    @Test
    void everySiteHasItsOwnReadyBrokerWithTheSiteTopics(Lab lab) throws Exception {
        assertThat(lab.sites()).extracting(SiteDescriptor::name).containsExactly("us-east", "eu-west");
        for (SiteDescriptor site : lab.sites()) {
            try (Admin admin = admin(site.bootstrap())) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
                Map<String, TopicDescription> topics = admin.describeTopics(
                        List.of("changes", "converged", "audit", "changes.dlq")).allTopicNames().get(10, TimeUnit.SECONDS);
                assertThat(topics).hasSize(4);
                var converged = new ConfigResource(ConfigResource.Type.TOPIC, "converged");
                String policy = admin.describeConfigs(List.of(converged)).all().get(10, TimeUnit.SECONDS)
                        .get(converged).get("cleanup.policy").value();
                assertThat(policy).isEqualTo("compact");
            }
        }
        // the two brokers are different clusters
        try (Admin a = admin(lab.site("us-east").bootstrap()); Admin b = admin(lab.site("eu-west").bootstrap())) {
            assertThat(a.describeCluster().clusterId().get()).isNotEqualTo(b.describeCluster().clusterId().get());
        }
    }

    @Test
    void theRegistryAnswersTheConfluentApiWithBackwardCompatibility(Lab lab) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(lab.registryUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).startsWith("[");
        HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(lab.registryUrl() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.body()).contains("BACKWARD");
    }

    @Test
    void descriptorListsSitesRegistryLinksAndLiveProcesses(Lab lab) {
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        assertThat(d.state()).isEqualTo("ready");
        assertThat(d.registry()).isEqualTo(lab.registryUrl());
        assertThat(d.sites()).extracting(SiteDescriptor::bootstrap).allMatch(b -> b.startsWith("127.0.0.1:"));
        assertThat(d.links()).extracting(LinkDescriptor::id).containsExactlyInAnyOrder("us-east->eu-west", "eu-west->us-east");
        assertThat(d.links()).extracting(LinkDescriptor::listener).containsExactlyInAnyOrder("WAN_EU_WEST", "WAN_US_EAST");
        assertThat(d.processes()).extracting(ProcessDescriptor::component).contains("broker", "registry");
        assertThat(d.processes()).allMatch(p -> ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void kcatListsEachSitesBroker(Lab lab) throws Exception {
        boolean haveKcat = new ProcessBuilder("sh", "-c", "command -v kcat").start().waitFor() == 0;
        if (!haveKcat) {
            // CI installs kcat (.ci/install-prerequisites.sh): there its absence is a failure
            assertThat(System.getenv("CI")).as("kcat missing on CI").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("skipped: kcat is not installed");
        }
        for (SiteDescriptor site : lab.sites()) {
            Process p = new ProcessBuilder("kcat", "-b", site.bootstrap(), "-L", "-m", "10").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).contains("1 brokers:", "broker 1 at " + site.bootstrap(), "topic \"changes\"");
        }
    }

    @Test
    void aKilledBrokerRestartsWithItsData(EmbeddedLab lab) throws Exception {
        String bootstrap = lab.site("eu-west").bootstrap();
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("lab-it-restart", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        long before = lab.process("broker", "eu-west").pid();
        lab.kill("broker", "eu-west");
        assertThat(lab.process("broker", "eu-west").isAlive()).isFalse();
        lab.restart("broker", "eu-west");
        assertThat(lab.process("broker", "eu-west").pid()).isNotEqualTo(before);
        try (Admin admin = admin(bootstrap)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("lab-it-restart", "changes");
        }
    }

    @Test
    void aKilledRegistryRestartsKnowingEverySchemaAndItsId(EmbeddedLab lab) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String schema = "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"RestartProbe\\\", "
                + "\\\"fields\\\": [{\\\"name\\\": \\\"n\\\", \\\"type\\\": \\\"long\\\"}]}\"}";
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(lab.registryUrl() + "/subjects/lab-it-restart-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(schema)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        String id = registered.body().replaceAll("\\D+", "");

        lab.kill("registry", null);
        lab.restart("registry", null);

        HttpResponse<String> byId = http.send(HttpRequest.newBuilder(URI.create(lab.registryUrl() + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        assertThat(byId.body()).contains("RestartProbe");
        HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(lab.registryUrl() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.body()).contains("BACKWARD");
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }
}
