package io.netsplit.containers;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabException;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.LinkControls;
import io.netsplit.mirror.internal.ToxiproxyLinkControl;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link Lab} from container images, for hosts with a Docker engine: per site an {@code apache/kafka}
 * KRaft broker (Testcontainers' Kafka module), one Toxiproxy container holding a proxy per ordered
 * site pair (Testcontainers' Toxiproxy module), and one Apicurio registry, all on one Docker network.
 *
 * <p>The link design is the embedded lab's: each broker has one extra listener per remote site,
 * bound inside the network and advertised at that link's Toxiproxy address, so a client that
 * reaches a remote site through its link stays on it. Links are driven by {@code ToxiproxyLinkControl}
 * ({@code linkControl.driver=toxiproxy} in the descriptor), with its proxy names.
 *
 * <p>It runs infrastructure only: the site services (writer, mirror, reconciler, audit sink) are
 * not started here; the compose deployment ({@code docker-compose.yml}) runs them from the project's
 * image. The descriptor lists no services and is written to {@code runDir/lab.json}.
 */
public final class ContainersLab implements Lab, AutoCloseable {

    public static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    public static final String TOXIPROXY_IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";
    public static final String REGISTRY_IMAGE = "apicurio/apicurio-registry:3.3.3";

    /** Network alias of the Toxiproxy container: the host part of every advertised WAN address. */
    public static final String TOXIPROXY_ALIAS = "toxiproxy";
    /** First port a broker binds its {@code WAN_<TARGET>} listeners to, inside the network. */
    static final int WAN_PORT_BASE = 9094;
    /** First proxy port of the Toxiproxy container (the Testcontainers module exposes a range from here). */
    static final int PROXY_PORT_BASE = 8666;
    private static final int REGISTRY_PORT = 8080;
    private static final int TOXIPROXY_API_PORT = 8474;

    private static final Logger log = LoggerFactory.getLogger(ContainersLab.class);

    private final Network network;
    private final ToxiproxyContainer toxiproxy;
    private final GenericContainer<?> registry;
    private final Map<String, KafkaContainer> brokers;
    private final Path runDir;
    private final LabDescriptor descriptor;

    private ContainersLab(Network network, ToxiproxyContainer toxiproxy, GenericContainer<?> registry,
                          Map<String, KafkaContainer> brokers, Path runDir, LabDescriptor descriptor) {
        this.network = network;
        this.toxiproxy = toxiproxy;
        this.registry = registry;
        this.brokers = brokers;
        this.runDir = runDir;
        this.descriptor = descriptor;
    }

    /** The links of these sites: one per ordered pair, in site order, with their in-network addresses. */
    public static List<LinkDescriptor> links(List<String> sites) {
        List<LinkDescriptor> links = new ArrayList<>();
        int proxyPort = PROXY_PORT_BASE;
        for (String source : sites) {
            int wanPort = WAN_PORT_BASE;
            for (String target : sites) {
                if (source.equals(target)) {
                    continue;
                }
                links.add(new LinkDescriptor(source, target, LinkDescriptor.listenerName(target),
                        brokerAlias(source) + ":" + wanPort++, TOXIPROXY_ALIAS + ":" + proxyPort++));
            }
        }
        return links;
    }

    /** The network alias of a site's broker: {@code kafka-us-east}. */
    public static String brokerAlias(String site) {
        return "kafka-" + site;
    }

    /**
     * Starts the containers for {@code sites} and writes {@code runDir/lab.json}. Fails with a
     * {@link LabException} naming what did not start; whatever started is stopped again.
     */
    public static ContainersLab start(List<String> sites, Path runDir) {
        if (sites.size() < 2) {
            throw new LabException("a containers lab needs at least two sites, got " + sites);
        }
        List<LinkDescriptor> links = links(sites);
        Network network = Network.newNetwork();
        ToxiproxyContainer toxiproxy = new ToxiproxyContainer(DockerImageName.parse(TOXIPROXY_IMAGE))
                .withNetwork(network)
                .withNetworkAliases(TOXIPROXY_ALIAS);
        GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
                .withNetwork(network)
                .withNetworkAliases("registry")
                .withExposedPorts(REGISTRY_PORT)
                .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        Map<String, KafkaContainer> brokers = new LinkedHashMap<>();
        for (String site : sites) {
            KafkaContainer broker = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                    .withNetwork(network)
                    .withNetworkAliases(brokerAlias(site))
                    .withEnv("KAFKA_NUM_PARTITIONS", "1")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_LOG_CLEANER_BACKOFF_MS", "1000");
            for (LinkDescriptor link : links) {
                if (link.source().equals(site)) {
                    // bound at the broker's alias, advertised at the proxy: remote clients stay on the link
                    broker.withListener(link.upstream(), link::listen);
                }
            }
            brokers.put(site, broker);
        }
        try {
            toxiproxy.start();
            registry.start();
            brokers.values().parallelStream().forEach(KafkaContainer::start);
            String toxiproxyUrl = "http://" + toxiproxy.getHost() + ":" + toxiproxy.getMappedPort(TOXIPROXY_API_PORT);
            createProxies(toxiproxy.getHost(), toxiproxy.getMappedPort(TOXIPROXY_API_PORT), links);

            List<SiteDescriptor> siteDescriptors = new ArrayList<>();
            brokers.forEach((site, broker) -> siteDescriptors.add(new SiteDescriptor(site, broker.getBootstrapServers())));
            String registryUrl = "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT)
                    + "/apis/ccompat/v7";
            LabDescriptor descriptor = new LabDescriptor(1, "ready", null, runDir.toAbsolutePath().toString(),
                    registryUrl, null, null, siteDescriptors, links,
                    Map.of(LinkControls.DRIVER, LinkControls.TOXIPROXY, LinkControls.URL, toxiproxyUrl), List.of());
            descriptor.write(runDir);
            log.info("containers lab ready: sites {}, registry {}, toxiproxy {}", sites, registryUrl, toxiproxyUrl);
            return new ContainersLab(network, toxiproxy, registry, brokers, runDir, descriptor);
        } catch (RuntimeException e) {
            stopAll(network, toxiproxy, registry, brokers);
            throw new LabException("the containers lab did not start: " + e.getMessage(), e);
        }
    }

    private static void createProxies(String host, int port, List<LinkDescriptor> links) {
        ToxiproxyClient client = new ToxiproxyClient(host, port);
        for (LinkDescriptor link : links) {
            String listen = "0.0.0.0:" + link.listen().substring(link.listen().lastIndexOf(':') + 1);
            try {
                client.createProxy(ToxiproxyLinkControl.proxyName(link.source(), link.target()), listen, link.upstream());
            } catch (IOException e) {
                throw new LabException("cannot create the Toxiproxy proxy for link " + link.id() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String registryUrl() {
        return descriptor.registry();
    }

    @Override
    public List<SiteDescriptor> sites() {
        return descriptor.sites();
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public LabDescriptor descriptor() {
        return descriptor;
    }

    /** Stops every container this lab started and removes its network. */
    @Override
    public void close() {
        stopAll(network, toxiproxy, registry, brokers);
    }

    private static void stopAll(Network network, ToxiproxyContainer toxiproxy, GenericContainer<?> registry,
                                Map<String, KafkaContainer> brokers) {
        brokers.values().forEach(GenericContainer::stop);
        registry.stop();
        toxiproxy.stop();
        network.close();
    }
}
