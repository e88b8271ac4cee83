package io.netsplit.reconcile;

import io.netsplit.reconcile.merge.MergePolicy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcileConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put(ReconcileConfig.SITE, "us-east");
        p.put(ReconcileConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        p.put(ReconcileConfig.REGISTRY_URL, "mock://config-test");
        return p;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> p = minimal();
        p.put(key, value);
        return p;
    }

    @Test
    void shouldApplyDefaults() {
        ReconcileConfig c = ReconcileConfig.parse(minimal());
        assertThat(c.applicationId()).isEqualTo("netsplit-reconcile-us-east");
        assertThat(c.defaultPolicy()).isEqualTo("highest-version");
        assertThat(c.topics()).isEqualTo(new ReconcileConfig.Topics("changes", "converged", "audit", "changes.dlq", "reconcile.log", "changes.redrive"));
        assertThat(c.ingest()).isTrue();
        assertThat(c.logEndOffset()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.gapCheckIntervalMs()).isEqualTo(30_000);
        assertThat(c.durabilityWarnOnly()).isFalse();
    }

    @Test
    void shouldCheckDurabilityUnlessToldToWarnAndRefuseAnythingElse() {
        assertThat(ReconcileConfig.parse(with(ReconcileConfig.DURABILITY_CHECK, "warn")).durabilityWarnOnly()).isTrue();
        assertThat(ReconcileConfig.parse(with(ReconcileConfig.DURABILITY_CHECK, "fail")).durabilityWarnOnly()).isFalse();
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.DURABILITY_CHECK, "off")))
                .hasMessage("reconcile.durability.check: 'off' is neither fail nor warn");
        assertThat(ReconcileConfig.parse(with(ReconcileConfig.GAP_CHECK_INTERVAL_MS, "1000")).gapCheckIntervalMs()).isEqualTo(1000);
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.GAP_CHECK_INTERVAL_MS, "0")))
                .hasMessageStartingWith("reconcile.gap.check.interval.ms: '0' is not a whole number in [100, 3600000]");
    }

    @Test
    void shouldMatchLocalAndMirroredChangesOnly() {
        Pattern p = ReconcileConfig.parse(minimal()).topics().inputPattern();
        assertThat(p.matcher("changes").matches()).isTrue();
        assertThat(p.matcher("eu-west.changes").matches()).isTrue();
        assertThat(p.matcher("ap-south-2.changes").matches()).isTrue();
        assertThat(p.matcher("changes.dlq").matches()).isFalse();
        assertThat(p.matcher("a.b.changes").matches()).isFalse();
        assertThat(p.matcher("reconcile.log").matches()).isFalse();
        assertThat(p.matcher("converged").matches()).isFalse();
        assertThat(p.matcher("mychanges").matches()).isFalse();
        assertThat(p.matcher("changes.redrive").matches()).isTrue();
    }

    @Test
    void shouldBoundTheUnknownSchemaRetryByTheTransactionTimeout() {
        assertThat(ReconcileConfig.parse(minimal()).unknownSchemaRetryMs()).isEqualTo(4000);
        Map<String, String> p = minimal();
        p.put(ReconcileConfig.UNKNOWN_SCHEMA_RETRY_MS, "6000");
        assertThatThrownBy(() -> ReconcileConfig.parse(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconcile.unknown.schema.retry.ms: 6000 ms is more than half the producer's transaction.timeout.ms "
                        + "(10000 ms); a longer wait would time out the open transaction");
        p.put("kafka.producer.transaction.timeout.ms", "20000");
        assertThat(ReconcileConfig.parse(p).unknownSchemaRetryMs()).isEqualTo(6000);
        p.put(ReconcileConfig.UNKNOWN_SCHEMA_RETRY_MS, "-1");
        assertThatThrownBy(() -> ReconcileConfig.parse(p)).hasMessageStartingWith("reconcile.unknown.schema.retry.ms: '-1' is not a whole number");
    }

    @Test
    void shouldNeverRedriveIntoTheSitesOwnChanges() {
        Map<String, String> p = minimal();
        p.put(ReconcileConfig.TOPIC_REDRIVE, "changes");
        assertThatThrownBy(() -> ReconcileConfig.parse(p)).hasMessageStartingWith("topic.redrive: 'changes' is the site's own changes topic");
    }

    @Test
    void shouldBuildTheMergeConfigFromPoliciesSiteOrderAndAuthority() {
        Map<String, String> p = minimal();
        p.put(ReconcileConfig.POLICY_DEFAULT, "lww");
        p.put(ReconcileConfig.POLICY_PREFIXES, "auth-=authoritative-site, doc-=field-merge");
        p.put(ReconcileConfig.SITE_ORDER, "us-east,eu-west");
        p.put(ReconcileConfig.AUTHORITY, "eu-west,us-east");
        var merge = ReconcileConfig.parse(p).mergeConfig();
        assertThat(merge.policyFor("x").id()).isEqualTo("lww");
        assertThat(merge.policyFor("doc-1").id()).isEqualTo("field-merge");
        assertThat(merge.policyFor("auth-1")).isEqualTo(MergePolicy.authoritativeSite(io.netsplit.reconcile.merge.SiteOrder.of("eu-west", "us-east")));
        assertThat(merge.siteOrder().sites()).containsExactly("us-east", "eu-west");
    }

    @Test
    void shouldNameTheBadKey() {
        Map<String, String> missing = minimal();
        missing.remove(ReconcileConfig.BOOTSTRAP_SERVERS);
        assertThatThrownBy(() -> ReconcileConfig.parse(missing)).hasMessageStartingWith("bootstrap.servers is required");
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.POLICY_DEFAULT, "coin-flip")))
                .hasMessageStartingWith("reconcile.policy.default: unknown merge policy 'coin-flip'");
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.POLICY_PREFIXES, "auth-")))
                .hasMessageStartingWith("reconcile.policy.prefixes: 'auth-' is not keyPrefix=policy");
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.SITE_ORDER, "us-east,us-east")))
                .hasMessageStartingWith("reconcile.site-order: site 'us-east' is listed twice");
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.HTTP_PORT, "http")))
                .hasMessageStartingWith("http.port: 'http' is not a whole number");
        assertThatThrownBy(() -> ReconcileConfig.parse(with("reconcile.polcy.default", "manual")))
                .hasMessageStartingWith("unknown setting 'reconcile.polcy.default'");
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.TOPIC_LOG, "eu-west.changes")))
                .hasMessageContaining("would match the input pattern");
        assertThatThrownBy(() -> ReconcileConfig.parse(with(ReconcileConfig.SITE, "US East")))
                .hasMessageStartingWith("site: 'US East' is not a site alias");
    }

    @Test
    void shouldAcceptTheOldPrefixedNamesAsDeprecatedAliases() {
        Map<String, String> p = new HashMap<>();
        p.put("reconcile.site", "eu-west");
        p.put("reconcile.bootstrap.servers", "127.0.0.1:9092");
        p.put("reconcile.schema.registry.url", "mock://config-test");
        p.put("reconcile.http.port", "8090");
        p.put("reconcile.topic.log", "log2");
        ReconcileConfig c = ReconcileConfig.parse(p);
        assertThat(c.site()).isEqualTo("eu-west");
        assertThat(c.httpPort()).isEqualTo(8090);
        assertThat(c.topics().log()).isEqualTo("log2");

        p.put(ReconcileConfig.TOPIC_LOG, "log3");
        assertThatThrownBy(() -> ReconcileConfig.parse(p))
                .hasMessage("reconcile.topic.log (deprecated name of topic.log) is 'log2' but topic.log is 'log3': set only topic.log");
    }

    @Test
    void shouldPassKafkaSettingsToItsClients() {
        ReconcileConfig c = ReconcileConfig.parse(with("kafka.security.protocol", "PLAINTEXT"));
        assertThat(c.kafka()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
        assertThat(c.adminProperties()).containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(Reconciler.streamsProperties(c)).containsEntry("security.protocol", "PLAINTEXT");
        assertThat(c.forReplay("r", java.nio.file.Path.of("/tmp/x"), 1).kafka()).isEqualTo(c.kafka());
    }

    @Test
    void shouldListEveryKeyAndExitTwoOnABadOne() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(ReconcilerMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--list-config")).isZero();
        assertThat(out.toString()).startsWith("site (default: required)\n")
                .contains("topic.log (default: reconcile.log)").contains("reconcile.policy.default (default: highest-version)");
        assertThat(ReconcilerMain.service().execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                "--set", "site=us-east", "--set", "bootstrap.servers=k:9092", "--set", "schema.registry.url=mock://x",
                "--set", "reconcile.policy.default=coin-flip")).isEqualTo(2);
        assertThat(err.toString()).startsWith("reconciler: reconcile.policy.default: unknown merge policy").hasLineCount(1);
    }

    @Test
    void shouldIgnoreOtherComponentsSettings() {
        assertThat(ReconcileConfig.parse(with("writer.auth.token", "x")).site()).isEqualTo("us-east");
    }

    @Test
    void shouldDeriveAReplayConfigWithSideTopicsAndNoIngest() {
        ReconcileConfig replay = ReconcileConfig.parse(minimal()).forReplay("r1", java.nio.file.Path.of("/tmp/x"), 42);
        assertThat(replay.applicationId()).isEqualTo("netsplit-reconcile-us-east-replay-r1");
        assertThat(replay.topics().converged()).isEqualTo("converged.replay-r1");
        assertThat(replay.topics().audit()).isEqualTo("audit.replay-r1");
        assertThat(replay.topics().log()).isEqualTo("reconcile.log");
        assertThat(replay.ingest()).isFalse();
        assertThat(replay.logEndOffset()).isEqualTo(42);
    }
}
