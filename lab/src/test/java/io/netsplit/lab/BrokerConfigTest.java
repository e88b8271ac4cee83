package io.netsplit.lab;

import io.netsplit.lab.internal.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerConfigTest {

    @Test
    void eachOutgoingLinkGetsAListenerAdvertisedAtTheLinkAddress() {
        Map<String, String> p = BrokerConfig.properties("/data", 9092, 9093, List.of(
                new LinkDescriptor("us-east", "eu-west", "WAN_EU_WEST", "127.0.0.1:7001", "127.0.0.1:8001"),
                new LinkDescriptor("us-east", "ap-south", "WAN_AP_SOUTH", "127.0.0.1:7002", "127.0.0.1:8002")));

        assertThat(p.get("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,"
                + "WAN_EU_WEST://127.0.0.1:7001,WAN_AP_SOUTH://127.0.0.1:7002");
        assertThat(p.get("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,"
                + "WAN_EU_WEST://127.0.0.1:8001,WAN_AP_SOUTH://127.0.0.1:8002");
        assertThat(p.get("listener.security.protocol.map")).contains("WAN_EU_WEST:PLAINTEXT", "WAN_AP_SOUTH:PLAINTEXT");
        assertThat(p.get("process.roles")).isEqualTo("broker,controller");
        assertThat(p.get("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
    }
}
