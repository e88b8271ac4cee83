package io.netsplit.audit;

import io.netsplit.audit.cli.ConvergedLookup;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The manual policy end to end on a full lab (links, mirror, reconciler, writer, audit sink per
 * site): concurrent writes during a netsplit leave a pending conflict at both sites;
 * {@code conflicts resolve --keep eu-west} ends it everywhere with one ordinary write, which is
 * itself audited. Runs in its own failsafe execution ({@code e2e}), whose lab has every module and
 * {@code reconcile.policy.prefixes=manual-=manual}.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class ManualResolutionIT {

    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPendingManualConflictIsResolvedAtEverySiteByOneAuditedWrite(Lab lab) throws Exception {
        String key = "manual-user-" + UUID.randomUUID().toString().substring(0, 8);
        String labDir = lab.runDir().toString();
        LabDescriptor descriptor = LabDescriptor.read(lab.runDir());

        // Given concurrent writes at both sites while they are cut off from each other
        try (LinkControl links = LinkControls.fromDescriptor(descriptor)) {
            links.isolate("us-east", "eu-west");
            try {
                put(lab.site("us-east"), key, "{\"status\":\"online\"}");
                put(lab.site("eu-west"), key, "{\"status\":\"offline\"}");
            } finally {
                links.heal("us-east", "eu-west");
            }
        }

        // Then, once both sites received both writes, each lists the conflict as pending
        await("pending at both sites").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                Cli.run("conflicts", "list", "--lab", labDir, "--key", key, "--pending").out().lines().count() == 2);
        Cli.Result pending = Cli.run("conflicts", "list", "--lab", labDir, "--key", key, "--pending");
        assertThat(pending.out()).contains("us-east#").contains("eu-west#").contains("policy=manual");

        // When an operator keeps eu-west's value
        Cli.Result resolve = Cli.run("conflicts", "resolve", key, "--keep", "eu-west", "--lab", labDir, "--wait", "180s");

        // Then no site lists it as pending, both converge on eu-west's value, and the resolution is audited at both
        assertThat(resolve.exit()).as("%s", resolve).isZero();
        assertThat(Cli.run("conflicts", "list", "--lab", labDir, "--key", key, "--pending").out()).isEmpty();
        Map<String, String> bootstraps = new LinkedHashMap<>();
        lab.sites().forEach(s -> bootstraps.put(s.name(), s.bootstrap()));
        ConvergedLookup converged = ConvergedLookup.kafka(bootstraps, lab.registryUrl(), "converged");
        await("converged at both sites").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String site : bootstraps.keySet()) {
                ConvergedRecord r = converged.latest(site, key).orElseThrow();
                assertThat(r.getConflictState()).as("conflict state at %s", site).isNotEqualTo(ConflictState.PENDING);
                assertThat(String.valueOf(r.getFields().get("status"))).as("status at %s", site).isEqualTo("offline");
            }
            assertThat(converged.latest("us-east", key).orElseThrow().getVersionVector())
                    .isEqualTo(converged.latest("eu-west", key).orElseThrow().getVersionVector());
        });
        await("resolution audited at both sites").atMost(PATIENCE).until(() ->
                Cli.run("conflicts", "list", "--lab", labDir, "--key", key).out().lines()
                        .filter(l -> l.contains("MANUAL_RESOLUTION")).map(l -> l.split(" ")[1].split("#")[0])
                        .distinct().count() == 2);
        for (SiteDescriptor site : lab.sites()) {
            String reconciler = site.requireService("reconciler");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(reconciler + "/conflicts?pending=true"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as("pending conflicts at %s", site.name()).doesNotContain(key);
        }
    }

    private static void put(SiteDescriptor site, String key, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(site.requireService("writer") + "/entities/" + key))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("PUT at %s: %s", site.name(), r.body()).isBetween(200, 299);
    }
}
