package io.netsplit.lab.internal;

import io.netsplit.kit.TopicSettings;
import io.netsplit.lab.LinkDescriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server.properties of one node of a site's KRaft cluster (broker and controller in one
 * process; one node per site unless {@code lab.brokers.per.site} says more). Besides the local listener it has one {@code WAN_<TARGET>} listener per remote site,
 * advertised at that link's proxy address, so a remote mirror's clients stay on the link.
 */
public final class BrokerConfig {

    private BrokerConfig() {
    }

    public static Map<String, String> properties(String dataDir, int clientPort, int controllerPort,
                                                 List<LinkDescriptor> outgoingLinks) {
        return properties(dataDir, 1, clientPort, controllerPort, "1@127.0.0.1:" + controllerPort, 1, outgoingLinks);
    }

    /**
     * One node of a site's cluster of {@code brokers} nodes, each broker and controller ({@code voters} names every
     * node's controller, {@code id@host:port,...}). The internal topics get min(3, brokers) replicas, and with 3
     * {@code min.insync.replicas} 2, as {@code io.netsplit.kit.TopicSettings} decides for the pipeline's topics.
     */
    public static Map<String, String> properties(String dataDir, int nodeId, int clientPort, int controllerPort,
                                                 String voters, int brokers, List<LinkDescriptor> outgoingLinks) {
        String rf = Short.toString(TopicSettings.replicationFactor(brokers));
        String minIsr = TopicSettings.replicationFactor(brokers) >= TopicSettings.DURABLE_REPLICAS
                ? Integer.toString(TopicSettings.DURABLE_MIN_INSYNC) : "1";
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        listeners.add("PLAINTEXT://127.0.0.1:" + clientPort);
        listeners.add("CONTROLLER://127.0.0.1:" + controllerPort);
        advertised.add("PLAINTEXT://127.0.0.1:" + clientPort);
        protocols.add("PLAINTEXT:PLAINTEXT");
        protocols.add("CONTROLLER:PLAINTEXT");
        for (LinkDescriptor link : outgoingLinks) {
            listeners.add(link.listener() + "://" + link.upstream());
            advertised.add(link.listener() + "://" + link.listen());
            protocols.add(link.listener() + ":PLAINTEXT");
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listeners", String.join(",", listeners));
        p.put("advertised.listeners", String.join(",", advertised));
        p.put("listener.security.protocol.map", String.join(",", protocols));
        p.put("log.dirs", dataDir);
        p.put("num.partitions", "1");
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // compaction of `converged` should be observable within a drill, not hours later
        p.put("log.cleaner.backoff.ms", "1000");
        return p;
    }

    public static String render(Map<String, String> props) {
        return props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# written by the netsplit lab\n", "\n"));
    }
}
