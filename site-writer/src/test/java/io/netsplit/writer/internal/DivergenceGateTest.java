package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure decision: health status events in, open or closed (with the reason) out. No broker. */
class DivergenceGateTest {

    private static final String EU = "eu-west";
    private static final String CHECKER = "netsplit-health";

    private final List<String> unreadable = new ArrayList<>();

    /** An event as the health checker publishes it. */
    private static byte[] event(String status, String sites, String at, String evidence) {
        return ("{\"type\":\"status-change\",\"checker\":\"" + CHECKER + "\",\"sequence\":4,\"status\":\"" + status
                + "\",\"previous\":\"healthy\",\"atMs\":1795307206277,\"at\":\"" + at + "\","
                + "\"previousSinceMs\":1795307200000,\"previousDurationMs\":6277,\"sites\":" + sites + ",\"links\":[],"
                + "\"evidence\":" + evidence + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] event(String status, String sites) {
        return event(status, sites, "2026-11-22T03:10:19.123Z",
                "[\"converged topics differ on 1 key (user42..user42): eu-west differs\",\"second line\"]");
    }

    private DivergenceGate apply(DivergenceGate gate, String checker, byte[] value) {
        return gate.apply(checker, value, unreadable::add);
    }

    @Test
    void shouldAdmitWritesBeforeAnyEvent() {
        assertThat(DivergenceGate.open(EU).refusal()).isEmpty();
    }

    @Test
    void shouldRefuseWhenTheNewestEventSaysThisSiteIsDiverged() {
        DivergenceGate gate = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[\"eu-west\"]"));

        assertThat(gate.refusal()).contains("site eu-west is diverged according to health checker netsplit-health "
                + "since 2026-11-22T03:10:19.123Z: converged topics differ on 1 key (user42..user42): eu-west differs");
        assertThat(unreadable).isEmpty();
    }

    @Test
    void shouldAdmitWhenOnlyAnotherSiteIsDiverged() {
        DivergenceGate gate = apply(DivergenceGate.open("us-east"), CHECKER, event("diverged", "[\"eu-west\"]"));

        assertThat(gate.refusal()).isEmpty();
        assertThat(gate.newestByChecker()).containsKey(CHECKER);
    }

    @Test
    void shouldTreatAnEmptySiteListAsEverySite() {
        DivergenceGate us = apply(DivergenceGate.open("us-east"), CHECKER, event("diverged", "[]"));
        DivergenceGate eu = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[]"));

        assertThat(us.refusal()).hasValueSatisfying(r -> assertThat(r).startsWith("site us-east is diverged"));
        assertThat(eu.refusal()).hasValueSatisfying(r -> assertThat(r).startsWith("site eu-west is diverged"));
    }

    @Test
    void shouldAdmitAgainWhenTheCheckerReportsHealthy() {
        DivergenceGate gate = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[\"eu-west\"]"));
        gate = apply(gate, CHECKER, event("healthy", "[]"));

        assertThat(gate.refusal()).isEmpty();
    }

    @Test
    void shouldAdmitOnStatusesOtherThanDiverged() {
        for (String status : List.of("healthy", "degraded", "partitioned", "something-new")) {
            assertThat(apply(DivergenceGate.open(EU), CHECKER, event(status, "[\"eu-west\"]")).refusal())
                    .as(status).isEmpty();
        }
    }

    @Test
    void shouldRefuseWhileAnyCheckersNewestEventSaysDiverged() {
        // Given: two checkers, the first says diverged, the second says healthy
        DivergenceGate gate = DivergenceGate.open(EU);
        gate = apply(gate, "checker-a", event("diverged", "[\"eu-west\"]"));
        gate = apply(gate, "checker-b", event("healthy", "[]"));
        assertThat(gate.refusal()).hasValueSatisfying(r -> assertThat(r).contains("health checker checker-a "));

        // When: the second says diverged too, then the first recovers
        gate = apply(gate, "checker-b", event("diverged", "[]"));
        assertThat(gate.refusal()).hasValueSatisfying(r -> assertThat(r)
                .contains("health checker checker-a ").endsWith("(and according to 1 other checker)"));
        gate = apply(gate, "checker-a", event("healthy", "[]"));

        // Then: the second's newest event still refuses; once it recovers too, writes are admitted
        assertThat(gate.refusal()).hasValueSatisfying(r -> assertThat(r).contains("health checker checker-b ")
                .doesNotContain("other checker"));
        gate = apply(gate, "checker-b", event("healthy", "[]"));
        assertThat(gate.refusal()).isEmpty();
    }

    @Test
    void shouldIgnoreUnreadableEventsAndKeepTheLastGoodState() {
        DivergenceGate diverged = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[\"eu-west\"]"));
        List<byte[]> garbage = List.of(
                "{\"status\":\"healthy\",".getBytes(StandardCharsets.UTF_8),
                "not json".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "[\"healthy\"]".getBytes(StandardCharsets.UTF_8),
                "{\"type\":\"status-change\",\"sites\":[]}".getBytes(StandardCharsets.UTF_8),
                "{\"status\":\"healthy\",\"sites\":\"eu-west\"}".getBytes(StandardCharsets.UTF_8),
                "{\"status\":\"healthy\",\"sites\":[1]}".getBytes(StandardCharsets.UTF_8),
                // no sites at all is not read as "every site"
                "{\"status\":\"healthy\"}".getBytes(StandardCharsets.UTF_8));

        DivergenceGate gate = diverged;
        for (byte[] g : garbage) {
            gate = apply(gate, CHECKER, g);
        }

        assertThat(unreadable).hasSize(garbage.size());
        assertThat(gate).isEqualTo(diverged);
        assertThat(gate.refusal()).isPresent();
        // and an unreadable first event leaves the gate open
        assertThat(apply(DivergenceGate.open(EU), CHECKER, "{".getBytes(StandardCharsets.UTF_8)).refusal()).isEmpty();
    }

    @Test
    void shouldSkipEventsOfAnotherTypeWithoutCallingThemUnreadable() {
        DivergenceGate diverged = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[]"));
        DivergenceGate gate = apply(diverged, CHECKER,
                "{\"type\":\"heartbeat\",\"status\":\"healthy\",\"sites\":[]}".getBytes(StandardCharsets.UTF_8));

        assertThat(gate).isEqualTo(diverged);
        assertThat(unreadable).isEmpty();
    }

    @Test
    void shouldForgetACheckerOnATombstone() {
        DivergenceGate gate = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[]"));
        gate = apply(gate, CHECKER, null);

        assertThat(gate.refusal()).isEmpty();
        assertThat(gate.newestByChecker()).isEmpty();
    }

    @Test
    void shouldNameTheCheckerFromTheBodyWhenTheRecordHasNoKeyAndFallBackToAtMs() {
        DivergenceGate gate = apply(DivergenceGate.open(EU), null, event("diverged", "[]", "not a time", "[]"));

        assertThat(gate.refusal()).contains("site eu-west is diverged according to health checker netsplit-health "
                + "since " + Instant.ofEpochMilli(1795307206277L));
    }

    @Test
    void shouldKeepTheReasonOnOneBoundedLine() {
        String evidence = "[\"line\\none\\tand " + "x".repeat(500) + "\"]";
        DivergenceGate gate = apply(DivergenceGate.open(EU), CHECKER, event("diverged", "[]", "2026-11-22T03:10:19Z",
                evidence));

        assertThat(gate.refusal()).hasValueSatisfying(r -> {
            assertThat(r).doesNotContain("\n").doesNotContain("\t").contains(": line one and xxx").endsWith("...");
            assertThat(r.length()).isLessThan(400);
        });
    }

    @Test
    void shouldParseTheCheckersEvent() {
        HealthStatusEvent e = HealthStatusEvent.parse("k", event("DIVERGED", "[\"eu-west\",\"us-east\"]"))
                .orElseThrow();

        assertThat(e.checker()).isEqualTo("k");
        assertThat(e.isDiverged()).isTrue();
        assertThat(e.sites()).containsExactly(EU, "us-east");
        assertThat(e.since()).isEqualTo(Instant.parse("2026-11-22T03:10:19.123Z"));
        assertThat(e.evidence()).hasSize(2);
        assertThat(e.implicates("us-east")).isTrue();
        assertThat(e.implicates("ap-south")).isFalse();
        assertThatThrownBy(() -> HealthStatusEvent.parse(null, "{\"status\":\"healthy\",\"sites\":[]}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checker");
    }

    /** A diverged event (change or heartbeat) that states how long it stands. */
    private static byte[] stating(String type, long validForMs) {
        return ("{\"type\":\"" + type + "\",\"checker\":\"" + CHECKER + "\",\"status\":\"diverged\",\"sites\":[],"
                + "\"at\":\"2026-11-22T03:10:19.123Z\",\"evidence\":[\"x\"],\"validForMs\":" + validForMs + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDivergedStatusThatIsNotRenewedStopsGatingWhenItsValidityRunsOut() {
        // Given a checker's diverged status read at t=1000 that stands for 30 s
        DivergenceGate gate = DivergenceGate.open(EU).apply(CHECKER, stating("status-change", 30_000), 1_000, unreadable::add);

        // Then it gates while it stands
        assertThat(gate.refusal(31_000)).isPresent();
        // and a heartbeat renews it
        DivergenceGate renewed = gate.apply(CHECKER, stating("status-heartbeat", 30_000), 25_000, unreadable::add);
        assertThat(renewed.refusal(50_000)).isPresent();
        // but once the checker has gone quiet for longer than it said, writes are admitted again
        assertThat(gate.refusal(31_001)).isEmpty();
        assertThat(renewed.refusal(55_001)).isEmpty();
        assertThat(unreadable).isEmpty();
    }

    @Test
    void anEventThatStatesNoValidityStandsUntilTheNextOne() {
        DivergenceGate gate = DivergenceGate.open(EU).apply(CHECKER, event("diverged", "[]"), 1_000, unreadable::add);

        assertThat(gate.refusal(Long.MAX_VALUE)).isPresent();
        assertThat(DivergenceGate.open(EU).apply(CHECKER, stating("status-change", -5), 1_000, unreadable::add).refusal(1_000))
                .isEmpty();
        assertThat(unreadable).singleElement().asString().contains("validForMs");
    }
}
