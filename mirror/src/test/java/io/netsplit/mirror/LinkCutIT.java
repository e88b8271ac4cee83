package io.netsplit.mirror;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cutting, blackholing and flapping the links of a two-site lab while both sites write: nothing
 * crosses a cut, nothing acknowledged is lost after the heal, order is kept, and link health
 * follows. Cuts affect every test sharing the lab, so each test heals in {@code finally}.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkCutIT {

    /** After a blackhole heals, replication must resume well inside MM2's 5-minute rebalance stall. */
    static final Duration RESUME_BOUND = Duration.ofSeconds(90);
    static final String A = "us-east";
    static final String B = "eu-west";

    private LinkControl links;
    private LinkHealthClient health;
    private Lab lab;

    @BeforeEach
    void connect(Lab lab) {
        this.lab = lab;
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        links = LinkControls.fromDescriptor(d);
        health = LinkHealthClient.fromDescriptor(d);
    }

    @AfterEach
    void healEverything() {
        links.reset();
        links.close();
    }

    @Test
    @Order(1)
    void isolatingBothWaysWhileBothSitesWriteLosesNothingOnceHealed() {
        String run = run();
        try (LoadGenerator atA = new LoadGenerator(bootstrap(A), run + A, 10);
             LoadGenerator atB = new LoadGenerator(bootstrap(B), run + B, 10)) {
            awaitArrived(atA, B, 10);
            awaitArrived(atB, A, 10);

            links.isolate(A, B, CutStyle.REFUSE);
            long sentAtCutA = atA.lastSent();
            long sentAtCutB = atB.lastSent();
            try {
                // link status reports the cut within a few seconds
                awaitPairStatus(LinkStatus.CUT, Duration.ofSeconds(10));
                // writes keep succeeding locally
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        atA.acked().size() > sentAtCutA + 30 && atB.acked().size() > sentAtCutB + 30);
                // and nothing written after the cut crosses it
                assertThat(received(A, B, atA)).allMatch(seq -> seq <= sentAtCutA);
                assertThat(received(B, A, atB)).allMatch(seq -> seq <= sentAtCutB);
            } finally {
                atA.stop();
                atB.stop();
                links.heal(A, B);
            }
            long healed = System.nanoTime();
            awaitAllArrived(atA, B, Duration.ofSeconds(120));
            awaitAllArrived(atB, A, Duration.ofSeconds(120));
            report("isolate (refuse) drain after heal", healed, atA, atB);
            assertDelivered(atA, B);
            assertDelivered(atB, A);
            awaitLinksUp();
        }
    }

    @Test
    @Order(2)
    void aOneWayCutStopsOnlyThatDirection() {
        String run = run();
        links.cutOneWay(A, B, CutStyle.REFUSE);
        try (LoadGenerator atA = new LoadGenerator(bootstrap(A), run + A, 10);
             LoadGenerator atB = new LoadGenerator(bootstrap(B), run + B, 10)) {
            try {
                // B -> A still flows ...
                awaitArrived(atB, A, 30);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(health.link(A, B).status()).isEqualTo(LinkStatus.CUT);
                    assertThat(health.link(B, A).status()).isNotEqualTo(LinkStatus.CUT);
                });
                // ... while nothing from A reaches B
                assertThat(atA.acked()).hasSizeGreaterThan(20);
                assertThat(received(A, B, atA)).isEmpty();
            } finally {
                atA.stop();
                atB.stop();
                links.healOneWay(A, B);
            }
            awaitAllArrived(atA, B, Duration.ofSeconds(120));
            awaitAllArrived(atB, A, Duration.ofSeconds(120));
            assertDelivered(atA, B);
            assertDelivered(atB, A);
            awaitLinksUp();
        }
    }

    @Test
    @Order(3)
    void aBlackholeLongerThanTheClientTimeoutsHealsWithoutTheRebalanceStall() {
        String run = run();
        try (LoadGenerator atA = new LoadGenerator(bootstrap(A), run + A, 20);
             LoadGenerator atB = new LoadGenerator(bootstrap(B), run + B, 20)) {
            awaitArrived(atA, B, 5);
            awaitArrived(atB, A, 5);

            links.isolate(A, B, CutStyle.BLACKHOLE);
            long sentAtCutA = atA.lastSent();
            long sentAtCutB = atB.lastSent();
            try {
                awaitPairStatus(LinkStatus.CUT, Duration.ofSeconds(10));
                // 45 s of silence: longer than every request timeout of MM2's clients on the link
                await().during(Duration.ofSeconds(45)).atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(5))
                        .until(() -> received(A, B, atA).stream().allMatch(seq -> seq <= sentAtCutA)
                                && received(B, A, atB).stream().allMatch(seq -> seq <= sentAtCutB));
            } finally {
                atA.stop();
                atB.stop();
                links.heal(A, B);
            }
            long healed = System.nanoTime();
            awaitAllArrived(atA, B, RESUME_BOUND);
            awaitAllArrived(atB, A, RESUME_BOUND);
            report("blackhole 45 s: drain after heal", healed, atA, atB);
            assertDelivered(atA, B);
            assertDelivered(atB, A);
            awaitLinksUp();
        }
    }

    @Test
    @Order(4)
    void tenFlapsWhileWritingLoseNothing() {
        String run = run();
        try (LoadGenerator atA = new LoadGenerator(bootstrap(A), run + A, 10);
             LoadGenerator atB = new LoadGenerator(bootstrap(B), run + B, 10)) {
            awaitArrived(atA, B, 5);
            awaitArrived(atB, A, 5);
            try {
                links.flap(A, B, 10, Duration.ofSeconds(3), CutStyle.REFUSE);
            } finally {
                atA.stop();
                atB.stop();
                links.heal(A, B);
            }
            long healed = System.nanoTime();
            awaitAllArrived(atA, B, Duration.ofSeconds(120));
            awaitAllArrived(atB, A, Duration.ofSeconds(120));
            report("10 flaps (3 s): drain after last heal", healed, atA, atB);
            assertDelivered(atA, B);
            assertDelivered(atB, A);
            awaitLinksUp();
        }
    }

    @Test
    @Order(5)
    void aSlowLinkIsReportedDegradedAndUpOnceCleared() {
        links.latency(A, B, Duration.ofMillis(60), Duration.ZERO);
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(health.link(A, B).status()).isEqualTo(LinkStatus.DEGRADED);
                assertThat(health.link(B, A).status()).isEqualTo(LinkStatus.UP);
            });
        } finally {
            links.clearFaults(A, B);
        }
        awaitLinksUp();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static String run() {
        return "cut-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    private String bootstrap(String site) {
        return lab.site(site).bootstrap();
    }

    /** Sequence numbers of {@code load} (written at {@code source}) present at {@code target}. */
    private List<Long> received(String source, String target, LoadGenerator load) {
        return Topics.read(bootstrap(target), source + ".changes", k -> k.equals(load.key())).stream()
                .map(r -> Long.parseLong(r.value())).toList();
    }

    private String sourceOf(LoadGenerator load) {
        return load.key().endsWith(A) ? A : B;
    }

    private void awaitArrived(LoadGenerator load, String target, int atLeast) {
        await().atMost(Duration.ofSeconds(90)).until(() -> received(sourceOf(load), target, load).size() >= atLeast);
    }

    private void awaitAllArrived(LoadGenerator load, String target, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() ->
                Delivery.of(load.acked(), received(sourceOf(load), target, load).stream().map(String::valueOf).toList())
                        .missing().isEmpty());
    }

    private void assertDelivered(LoadGenerator load, String target) {
        Delivery d = Delivery.of(load.acked(), received(sourceOf(load), target, load).stream().map(String::valueOf).toList());
        System.out.printf("%s -> %s: acknowledged %d, received %d, missing %d, duplicates %d, in order %s%n",
                sourceOf(load), target, d.acknowledged(), d.received(), d.missing().size(), d.duplicates(), d.inOrder());
        assertThat(load.failures()).as("local writes during the cut").isEmpty();
        assertThat(d.missing()).as("acknowledged records lost").isEmpty();
        assertThat(d.inOrder()).as("per-partition order").isTrue();
    }

    private void awaitPairStatus(LinkStatus status, Duration within) {
        await().atMost(within).untilAsserted(() -> {
            assertThat(health.link(A, B).status()).isEqualTo(status);
            assertThat(health.link(B, A).status()).isEqualTo(status);
        });
    }

    private void awaitLinksUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(health.links())
                .allSatisfy(l -> assertThat(l.status()).isEqualTo(LinkStatus.UP)));
    }

    private static void report(String what, long sinceNanos, LoadGenerator... loads) {
        int total = 0;
        for (LoadGenerator l : loads) {
            total += l.acked().size();
        }
        System.out.printf("%s: %d ms (%d records written in the test)%n", what,
                Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis(), total);
    }
}
