package io.netsplit.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteWriterLabComponentTest {

    @Test
    void shouldPassWriterSettingsWithPerSiteOverridesButKeepWhatTheLabOwns() {
        Map<String, String> settings = Map.of("writer.auth.token", "all", "eu-west.writer.auth.token", "eu",
                "writer.max.fields", "7", "writer.site", "evil", "site", "evil", "reconcile.policy.default", "lww",
                "topic.changes", "c2", "kafka.linger.ms", "3", "writer.http.port", "9");
        List<String> us = SiteWriterLabComponent.writerArgs(settings, 1, "us-east", "127.0.0.1:1", "http://r", 5);
        List<String> eu = SiteWriterLabComponent.writerArgs(settings, 1, "eu-west", "127.0.0.1:2", "http://r", 6);
        assertThat(us).containsSubsequence("--set", "writer.auth.token=all").contains("writer.max.fields=7")
                .contains("site=us-east", "http.port=5", "topic.changes=c2", "kafka.linger.ms=3")
                .doesNotContain("writer.site=evil", "site=evil", "writer.http.port=9")
                .noneMatch(a -> a.contains("reconcile"));
        assertThat(eu).contains("writer.auth.token=eu", "site=eu-west").doesNotContain("writer.auth.token=all");
        // and the writer's own command line accepts what the lab passes
        SiteWriterConfig config = new SiteWriterConfig(SiteWriterMain.service().settings(us.toArray(String[]::new)));
        assertThat(config.site()).isEqualTo("us-east");
        assertThat(config.changesTopic()).isEqualTo("c2");
        assertThat(config.kafkaOverrides()).containsEntry("linger.ms", "3");
        // one broker per site: the lab's writers warn about durability instead of refusing, unless told otherwise
        assertThat(config.durabilityWarnOnly()).isTrue();
        List<String> strict = SiteWriterLabComponent.writerArgs(Map.of("writer.durability.check", "fail"), 1,
                "us-east", "127.0.0.1:1", "http://r", 5);
        assertThat(new SiteWriterConfig(SiteWriterMain.service().settings(strict.toArray(String[]::new)))
                .durabilityWarnOnly()).isFalse();
        // three brokers per site: the lab's topics are durable, and the writers check that they are
        List<String> three = SiteWriterLabComponent.writerArgs(Map.of(), 3, "us-east", "127.0.0.1:1", "http://r", 5);
        assertThat(new SiteWriterConfig(SiteWriterMain.service().settings(three.toArray(String[]::new)))
                .durabilityWarnOnly()).isFalse();
    }
}
