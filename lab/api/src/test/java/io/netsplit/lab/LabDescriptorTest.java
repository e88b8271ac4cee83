package io.netsplit.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabDescriptorTest {

    @Test
    void roundTripsWithSiteServicesAsPlainKeys(@TempDir Path dir) throws Exception {
        SiteDescriptor east = new SiteDescriptor("us-east", "127.0.0.1:9092");
        east.putService("writer", "http://127.0.0.1:8081");
        LabDescriptor d = new LabDescriptor(1, "ready", null, dir.toString(), "http://r/apis/ccompat/v7", "http://c",
                42L, List.of(east),
                List.of(new LinkDescriptor("us-east", "eu-west", "WAN_EU_WEST", "127.0.0.1:1", "127.0.0.1:2")),
                Map.of("driver", "embedded"), List.of(new ProcessDescriptor("broker", "us-east", 7, "/x.log")));
        d.write(dir);

        String json = Files.readString(dir.resolve("lab.json"));
        assertThat(json).contains("\"writer\" : \"http://127.0.0.1:8081\"").contains("\"registry\"");
        LabDescriptor back = LabDescriptor.read(dir);
        assertThat(back.site("us-east").requireService("writer")).isEqualTo("http://127.0.0.1:8081");
        assertThat(back.links().get(0).id()).isEqualTo("us-east->eu-west");
        assertThat(back.linkControl()).containsEntry("driver", "embedded");
        assertThat(back.processes()).containsExactly(new ProcessDescriptor("broker", "us-east", 7, "/x.log"));
    }

    @Test
    void aMissingLabIsAOneLineError(@TempDir Path dir) {
        assertThatThrownBy(() -> LabDescriptor.read(dir))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("no lab at").hasMessageNotContaining("\n");
    }

    @Test
    void aMissingServiceNamesTheSite() {
        SiteDescriptor s = new SiteDescriptor("eu-west", "x:1");
        assertThatThrownBy(() -> s.requireService("audit")).hasMessageContaining("'eu-west'").hasMessageContaining("'audit'");
    }

    @Test
    void listenerNamesAreDerivedFromTheTargetAlias() {
        assertThat(LinkDescriptor.listenerName("eu-west")).isEqualTo("WAN_EU_WEST");
        assertThat(LinkDescriptor.listenerName("ap-south-1")).isEqualTo("WAN_AP_SOUTH_1");
    }
}
