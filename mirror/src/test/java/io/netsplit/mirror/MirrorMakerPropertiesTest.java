package io.netsplit.mirror;

import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.SiteDescriptor;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.mirror.MirrorMakerConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generated MM2 configuration, checked through MirrorMaker's own config classes. */
class MirrorMakerPropertiesTest {

    private static final List<String> SITES = List.of("us-east", "eu-west", "ap-south");

    @Test
    void everyOtherSiteFlowsIntoTheTargetAndNothingElse() {
        MirrorMakerConfig mm2 = new MirrorMakerConfig(props("eu-west"));

        List<String> enabled = mm2.clusterPairs().stream()
                .filter(st -> Boolean.parseBoolean(mm2.connectorBaseConfig(st, MirrorSourceConnector.class).get("enabled")))
                .map(SourceAndTarget::toString).toList();
        assertThat(enabled).containsExactlyInAnyOrder("us-east->eu-west", "ap-south->eu-west");
    }

    @Test
    void remoteSitesAreReachedOnlyThroughTheirLinkAndTheTargetDirectly() {
        Map<String, String> p = props("eu-west");

        assertThat(p.get("eu-west.bootstrap.servers")).isEqualTo("127.0.0.1:9001");
        assertThat(p.get("us-east.bootstrap.servers")).isEqualTo(linkListen("us-east", "eu-west"));
        assertThat(p.get("ap-south.bootstrap.servers")).isEqualTo(linkListen("ap-south", "eu-west"));
        Map<String, String> connector = new MirrorMakerConfig(p)
                .connectorBaseConfig(new SourceAndTarget("us-east", "eu-west"), MirrorSourceConnector.class);
        assertThat(connector.get("source.cluster.bootstrap.servers")).isEqualTo(linkListen("us-east", "eu-west"));
        assertThat(connector.get("target.cluster.bootstrap.servers")).isEqualTo("127.0.0.1:9001");
    }

    @Test
    void theWorkerSeesThePerClusterKeysThatMm2IgnoresAtTopLevel() {
        Map<String, String> worker = new MirrorMakerConfig(props("eu-west"))
                .workerConfig(new SourceAndTarget("us-east", "eu-west"));

        assertThat(worker).containsEntry("scheduled.rebalance.max.delay.ms", "0")
                .containsEntry("plugin.discovery", "service_load")
                .containsEntry("offset.flush.interval.ms", "1000")
                .containsEntry("bootstrap.servers", "127.0.0.1:9001")
                .containsEntry("offset.storage.replication.factor", "1")
                .containsEntry("config.storage.replication.factor", "1")
                .containsEntry("status.storage.replication.factor", "1");
    }

    @Test
    void clientsOnTheLinkGetShortTimeoutsAndStartAtTheBeginning() {
        Map<String, String> connector = new MirrorMakerConfig(props("eu-west"))
                .connectorBaseConfig(new SourceAndTarget("us-east", "eu-west"), MirrorSourceConnector.class);

        assertThat(connector).containsEntry("source.consumer.request.timeout.ms", "10000")
                .containsEntry("source.admin.request.timeout.ms", "10000")
                .containsEntry("source.consumer.auto.offset.reset", "earliest")
                .containsEntry("offset-syncs.topic.location", "target")
                .containsEntry("emit.heartbeats.enabled", "true")
                .containsEntry("replication.factor", "1");
    }

    @Test
    void onlyTheConfiguredTopicsMatchSoMirroredTopicsAreNeverMirroredAgain() throws Exception {
        Map<String, String> p = reparse(MirrorMakerProperties.render("eu-west", props("eu-west")));
        Pattern topics = Pattern.compile(p.get("topics"));

        assertThat(topics.matcher("changes").matches()).isTrue();
        assertThat(topics.matcher("us-east.changes").matches()).isFalse();
        assertThat(topics.matcher("changes.dlq").matches()).isFalse();
        assertThat(topics.matcher("converged").matches()).isFalse();
    }

    @Test
    void theRenderedFileReadsBackAsTheSameProperties() throws Exception {
        MirrorConfig dotted = MirrorConfig.parse(Map.of(MirrorConfig.TOPICS, "changes,orders.v1"));
        Map<String, String> p = MirrorMakerProperties.forTarget("eu-west", sites(), links(), dotted);

        Map<String, String> back = reparse(MirrorMakerProperties.render("eu-west", p));

        assertThat(back).isEqualTo(p);
        assertThat(Pattern.compile("orders\\.v1").matcher("ordersXv1").matches()).isFalse();
        assertThat(back.get("topics")).isEqualTo("changes,orders\\.v1");
    }

    @Test
    void aTargetWithoutALinkFromSomeSiteIsRejected() {
        List<LinkDescriptor> partial = links().stream().filter(l -> !l.source().equals("ap-south")).toList();
        assertThatThrownBy(() -> MirrorMakerProperties.forTarget("eu-west", sites(), partial, MirrorConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ap-south->eu-west");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> MirrorConfig.parse(Map.of("mirror.request.timeout.ms", "soon")))
                .hasMessageContaining("mirror.request.timeout.ms");
        assertThatThrownBy(() -> MirrorConfig.parse(Map.of("mirror.unknown", "1")))
                .hasMessageContaining("mirror.unknown");
        assertThatThrownBy(() -> MirrorConfig.parse(Map.of(MirrorConfig.TOPICS, "a b")))
                .hasMessageContaining(MirrorConfig.TOPICS);
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private static Map<String, String> props(String target) {
        return MirrorMakerProperties.forTarget(target, sites(), links(), MirrorConfig.defaults());
    }

    private static List<SiteDescriptor> sites() {
        List<SiteDescriptor> out = new ArrayList<>();
        for (int i = 0; i < SITES.size(); i++) {
            out.add(new SiteDescriptor(SITES.get(i), "127.0.0.1:900" + i));
        }
        return out;
    }

    private static List<LinkDescriptor> links() {
        List<LinkDescriptor> out = new ArrayList<>();
        for (String s : SITES) {
            for (String t : SITES) {
                if (!s.equals(t)) {
                    out.add(new LinkDescriptor(s, t, LinkDescriptor.listenerName(t), "127.0.0.1:1" + s.length() + t.length(),
                            linkListen(s, t)));
                }
            }
        }
        return out;
    }

    private static String linkListen(String source, String target) {
        return "127.0.0.1:2" + SITES.indexOf(source) + SITES.indexOf(target) + "00";
    }

    private static Map<String, String> reparse(String file) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(file));
        return new LinkedHashMap<>(Utils.propsToStringMap(p));
    }
}
