package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.health.HealthMain;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.LinkControls;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/health/lab.json}, the sites as the health checker sees them inside the compose
 * networks, against the host's view ({@code docker/lab.json}) and docker-compose.yml: the same sites
 * and links, every address a compose service (or network alias) and a port it listens on in its
 * container, reachable from the checker's networks.
 */
class HealthDescriptorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HOST_PORT = Pattern.compile("^(?:[a-z]+://)?([^:/]+):(\\d+)(/.*)?$");

    private final Map<String, Object> compose = Repo.compose();
    private final LabDescriptor host = DescribedLab.open(Repo.ROOT.resolve("docker")).descriptor();
    // read as HealthMain reads its health.descriptor in the container
    private final LabDescriptor inNetwork = HealthMain.readDescriptor(Repo.ROOT.resolve("docker/health/lab.json"));

    @Test
    void shouldNameTheSameSitesAndLinksAsTheHostsDescriptor() {
        assertThat(inNetwork.sites()).extracting(SiteDescriptor::name)
                .containsExactlyElementsOf(host.sites().stream().map(SiteDescriptor::name).toList());
        assertThat(inNetwork.links()).containsExactlyElementsOf(host.links());
        assertThat(inNetwork.state()).isEqualTo(host.state());
    }

    @Test
    void shouldPointAtEachSitesInternalListenerReconcilerAndTheRegistryByComposeName() {
        for (SiteDescriptor site : inNetwork.sites()) {
            Map<String, String> advertised = ComposeFileTest.listenerMap(
                    Repo.environment(Repo.service(compose, "kafka-" + site.name())).get("KAFKA_ADVERTISED_LISTENERS"));
            // the listener that advertises the same address keeps the checker's clients on it
            assertThat(site.bootstrap()).as("bootstrap of " + site.name()).isEqualTo(advertised.get("INTERNAL"));
            String reconciler = "reconciler-" + site.name();
            assertThat(site.services()).as("services of " + site.name()).containsOnlyKeys("reconciler");
            assertThat(site.requireService("reconciler")).isEqualTo("http://" + reconciler + ":" + containerPort(reconciler));
        }
        URI hostRegistry = URI.create(host.registry());
        assertThat(inNetwork.registry()).isEqualTo("http://registry:" + containerPort("registry") + hostRegistry.getPath());
        assertThat(inNetwork.registry()).isEqualTo(
                Repo.environment(Repo.service(compose, "writer-" + host.sites().get(0).name())).get("NETSPLIT_REGISTRY"));
    }

    @Test
    void shouldReachEveryAddressFromTheHealthCheckersNetworks() throws Exception {
        List<String> addresses = new ArrayList<>();
        addresses.add(inNetwork.registry());
        inNetwork.sites().forEach(s -> {
            addresses.add(s.bootstrap());
            addresses.addAll(s.services().values());
        });
        inNetwork.links().forEach(l -> addresses.add(l.listen()));
        if (inNetwork.linkControl().containsKey(LinkControls.URL)) {
            addresses.add(inNetwork.linkControl().get(LinkControls.URL));
        }

        Set<String> checkerNetworks = new LinkedHashSet<>(Repo.networks(Repo.service(compose, ComposeFileTest.HEALTH)));
        for (String address : addresses) {
            Matcher m = HOST_PORT.matcher(address);
            assertThat(m.matches()).as(address + " is host:port or a URL with a port").isTrue();
            String service = serviceNamed(m.group(1));
            Set<String> shared = new LinkedHashSet<>(Repo.networks(Repo.service(compose, service)));
            shared.retainAll(checkerNetworks);
            assertThat(shared).as(address + ": " + service + " shares a network with the checker").isNotEmpty();
            assertThat(listenPorts(service)).as(address + ": ports " + service + " listens on in its container")
                    .contains(Integer.parseInt(m.group(2)));
        }
    }

    @Test
    void shouldDescribeNoLinkHealthMonitorBecauseComposeRunsNone() {
        // compose runs no link health monitor: one named here would leave every link's mirror lag
        // unknown, and the checker would never find the queues drained
        assertThat(inNetwork.linkControl()).doesNotContainKey(LinkControls.HEALTH);
        assertThat(host.linkControl()).doesNotContainKey(LinkControls.HEALTH);
    }

    @Test
    void shouldBeTheFileTheDockerfileCopiesWhereTheEntrypointReadsIt() {
        Matcher copy = Pattern.compile("(?m)^COPY\\s+docker/health/\\s+(\\S+)$").matcher(Repo.read("Dockerfile"));
        assertThat(copy.find()).as("the Dockerfile copies docker/health/").isTrue();
        String target = copy.group(1).endsWith("/") ? copy.group(1) : copy.group(1) + "/";
        assertThat(target + LabDescriptor.FILE_NAME).isEqualTo(EntrypointTest.HEALTH_DESCRIPTOR);
        assertThat(Repo.read("docker/netsplit-entrypoint.sh"))
                .contains("--set \"health.descriptor=" + EntrypointTest.HEALTH_DESCRIPTOR + "\"");
    }

    /** The compose service that answers to {@code hostname} inside the networks: its name or a network alias. */
    @SuppressWarnings("unchecked")
    private String serviceNamed(String hostname) {
        Map<String, Object> services = Repo.services(compose);
        if (services.containsKey(hostname)) {
            return hostname;
        }
        for (Map.Entry<String, Object> e : services.entrySet()) {
            if (((Map<String, Object>) e.getValue()).get("networks") instanceof Map<?, ?> networks) {
                for (Object network : networks.values()) {
                    if (network instanceof Map<?, ?> n && n.get("aliases") instanceof List<?> aliases
                            && aliases.contains(hostname)) {
                        return e.getKey();
                    }
                }
            }
        }
        throw new AssertionError(hostname + " is no service name or network alias in docker-compose.yml: " + services.keySet());
    }

    /**
     * The ports a service listens on in its container: the container side of its published ports, its
     * Kafka listeners, and for Toxiproxy its proxies' listen ports.
     */
    private Set<Integer> listenPorts(String service) throws Exception {
        Map<String, Object> s = Repo.service(compose, service);
        Set<Integer> ports = new LinkedHashSet<>();
        Repo.ports(s).forEach(p -> ports.add(Repo.port(p)));
        String listeners = Repo.environment(s).get("KAFKA_LISTENERS");
        if (listeners != null) {
            ComposeFileTest.listenerMap(listeners).values().forEach(l -> ports.add(Repo.port(l)));
        }
        if (service.equals("toxiproxy")) {
            for (JsonNode proxy : JSON.readTree(Repo.read("docker/toxiproxy.json"))) {
                ports.add(Repo.port(proxy.path("listen").asText()));
            }
        }
        return ports;
    }

    /** The one container port a service publishes (its HTTP API). */
    private int containerPort(String service) {
        Map<String, Integer> byHostPort = new LinkedHashMap<>();
        Repo.ports(Repo.service(compose, service)).forEach(p -> byHostPort.put(p, Repo.port(p)));
        assertThat(byHostPort).as("published ports of " + service).hasSize(1);
        return byHostPort.values().iterator().next();
    }
}
