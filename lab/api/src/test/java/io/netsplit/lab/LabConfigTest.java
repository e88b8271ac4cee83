package io.netsplit.lab;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabConfigTest {

    @Test
    void defaultsAreTwoSitesAndTheAutoLinkDriver() {
        LabConfig c = LabConfig.defaults();
        assertThat(c.sites()).containsExactly("us-east", "eu-west");
        assertThat(c.linkDriver()).isEqualTo("auto");
        assertThat(c.changesPartitions()).isEqualTo(1);
        assertThat(c.brokersPerSite()).isEqualTo(1);
        assertThat(c.changesRetentionMs()).isEqualTo(-1);
        assertThat(c.changesSegmentMs()).isZero();
        assertThat(c.retentionCheckMs()).isEqualTo(300_000);
    }

    @Test
    void shouldTakeRetentionSettingsAndSeveralBrokersOnlyForOneSite() {
        LabConfig c = LabConfig.parse(Map.of(LabConfig.SITES, "us-east", LabConfig.BROKERS_PER_SITE, "3",
                LabConfig.CHANGES_RETENTION, "5000", LabConfig.CHANGES_SEGMENT, "1000", LabConfig.RETENTION_CHECK, "1000"));
        assertThat(c.brokersPerSite()).isEqualTo(3);
        assertThat(c.changesRetentionMs()).isEqualTo(5000);
        assertThat(c.changesSegmentMs()).isEqualTo(1000);
        assertThat(c.retentionCheckMs()).isEqualTo(1000);
        assertThat(c.withRunDir(java.nio.file.Path.of("/x")).brokersPerSite()).isEqualTo(3);
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.BROKERS_PER_SITE, "3")))
                .hasMessageContaining("lab.brokers.per.site").hasMessageContaining("one-site lab");
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.CHANGES_RETENTION, "-2")))
                .hasMessageContaining("lab.changes.retention.ms").hasMessageContaining("'-2'");
    }

    @Test
    void anyNumberOfSitesInTheGivenOrder() {
        LabConfig c = LabConfig.parse(Map.of(LabConfig.SITES, " ap-south, us-east ,eu-west,sa-east"));
        assertThat(c.sites()).containsExactly("ap-south", "us-east", "eu-west", "sa-east");
    }

    @Test
    void shouldRejectBadSiteAliasesNamingTheKey() {
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.SITES, "us-east,EU_West")))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("lab.sites").hasMessageContaining("'EU_West'");
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.SITES, "a,b,a")))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.SITES, " , ")))
                .hasMessageContaining("at least one site");
    }

    @Test
    void shouldRejectUnknownKeysAndBadValuesNamingTheKey() {
        assertThatThrownBy(() -> LabConfig.parse(Map.of("lab.sitez", "a")))
                .hasMessageContaining("unknown lab setting 'lab.sitez'");
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.LINK_DRIVER, "carrier-pigeon")))
                .hasMessageContaining("lab.link.driver");
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.CHANGES_PARTITIONS, "0")))
                .hasMessageContaining("lab.changes.partitions");
        assertThatThrownBy(() -> LabConfig.parse(Map.of(LabConfig.BROKER_HEAP, "lots")))
                .hasMessageContaining("lab.broker.heap");
    }

    @Test
    void keysOutsideTheLabNamespaceArePassedToComponents() {
        LabConfig c = LabConfig.parse(Map.of("reconcile.policy.default", "lww", LabConfig.SITES, "a,b"));
        assertThat(c.setting("reconcile.policy.default")).contains("lww");
        assertThat(c.setting("lab.sites")).isEmpty();
        assertThat(c.withRunDir(java.nio.file.Path.of("/x")).settings()).containsEntry("reconcile.policy.default", "lww");
    }

    @Test
    void everyKeyHasADoc() {
        assertThat(LabConfig.keys().values()).allSatisfy(v -> assertThat(v[0]).isNotBlank());
    }
}
