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

    @Test
    void aNodeOfAThreeBrokerSiteNamesEveryVoterAndReplicatesTheInternalTopicsDurably() {
        Map<String, String> p = BrokerConfig.properties("/data", 2, 9094, 9095,
                "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097", 3, List.of());
        assertThat(p.get("node.id")).isEqualTo("2");
        assertThat(p.get("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097");
        assertThat(p).containsEntry("default.replication.factor", "3").containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2");
        // one broker: one replica, and an acks=all write needs only it
        assertThat(BrokerConfig.properties("/data", 9092, 9093, List.of()))
                .containsEntry("default.replication.factor", "1").containsEntry("min.insync.replicas", "1");
    }
}
