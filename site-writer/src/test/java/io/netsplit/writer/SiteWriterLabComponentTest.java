package io.netsplit.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteWriterLabComponentTest {

    @Test
    void shouldPassWriterSettingsWithPerSiteOverridesButKeepWhatTheLabOwns() {
        Map<String, String> settings = Map.of("writer.auth.token", "all", "eu-west.writer.auth.token", "eu",
                "writer.max.fields", "7", "writer.site", "evil", "reconcile.policy.default", "lww");
        List<String> us = SiteWriterLabComponent.writerArgs(settings, "us-east", "127.0.0.1:1", "http://r", 5);
        List<String> eu = SiteWriterLabComponent.writerArgs(settings, "eu-west", "127.0.0.1:2", "http://r", 6);
        assertThat(us).containsSubsequence("--set", "writer.auth.token=all").contains("writer.max.fields=7")
                .contains("writer.site=us-east", "writer.http.port=5").doesNotContain("writer.site=evil")
                .noneMatch(a -> a.contains("reconcile"));
        assertThat(eu).contains("writer.auth.token=eu", "writer.site=eu-west").doesNotContain("writer.auth.token=all");
    }
}
