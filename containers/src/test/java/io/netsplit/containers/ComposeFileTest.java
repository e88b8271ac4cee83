package io.netsplit.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.LinkControls;
import io.netsplit.mirror.MirrorConfig;
import io.netsplit.mirror.MirrorMakerProperties;
import io.netsplit.mirror.internal.ToxiproxyLinkControl;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against what the drills CLI is told about it ({@code docker/lab.json}), what
 * the docs say (containers/README.md), and the link design: every remote broker reached only
 * through Toxiproxy.
 */
class ComposeFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SITE_SERVICES = List.of("kafka", "topics", "mirror", "reconciler", "writer", "audit");
    /** The per-site services with an HTTP API that docker/lab.json lists (as {@code <key>-<site>} in compose). */
    private static final List<String> SITE_HTTP_SERVICES = List.of("writer", "reconciler", "audit");
    /** The one checker of the deployment; docker/lab.json lists its URL as every site's {@code health} service. */
    static final String HEALTH = "health";

    private final Map<String, Object> compose = Repo.compose();
    private final LabDescriptor lab = DescribedLab.open(Repo.ROOT.resolve("docker")).descriptor();

    @Test
    void shouldDefineTwoSitesWithEveryServicePerSiteAndTheSharedOnes() {
        Set<String> expected = new LinkedHashSet<>(List.of("registry", "toxiproxy", HEALTH));
        for (SiteDescriptor site : lab.sites()) {
            SITE_SERVICES.forEach(s -> expected.add(s + "-" + site.name()));
        }
        assertThat(lab.sites()).extracting(SiteDescriptor::name).containsExactly("us-east", "eu-west");
        assertThat(Repo.services(compose).keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldDefineEveryServiceTheReadmeNames() {
        // the README's service table: | `writer-us-east` | ...
        Matcher m = Pattern.compile("(?m)^\\|\\s*`([a-z0-9-]+)`\\s*\\|").matcher(Repo.read("containers/README.md"));
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).as("services documented in containers/README.md").hasSizeGreaterThanOrEqualTo(10);
        assertThat(Repo.services(compose).keySet()).containsAll(documented);
        assertThat(documented).containsAll(Repo.services(compose).keySet());
    }

    @Test
    void shouldDocumentEachServicesPublishedHostPorts() {
        // | `toxiproxy` | image | 8474, 21001, 21002 | what |  ("–" when nothing is published)
        Matcher m = Pattern.compile("(?m)^\\|\\s*`([a-z0-9-]+)`\\s*\\|[^|]*\\|\\s*([^|]*?)\\s*\\|")
                .matcher(Repo.read("containers/README.md"));
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        while (m.find()) {
            Set<String> ports = new LinkedHashSet<>();
            Arrays.stream(m.group(2).split(",")).map(String::trim).filter(p -> p.matches("\\d+")).forEach(ports::add);
            documented.put(m.group(1), ports);
        }
        assertThat(documented).as("services documented in containers/README.md").containsKey(HEALTH);
        Repo.services(compose).keySet().forEach(name -> {
            Set<String> published = new LinkedHashSet<>();
            Repo.ports(Repo.service(compose, name)).forEach(p -> published.add(p.substring(0, p.indexOf(':'))));
            assertThat(documented.get(name)).as("host ports of " + name + " in containers/README.md")
                    .containsExactlyInAnyOrderElementsOf(published);
        });
    }

    @Test
    void shouldPublishEveryHostPortOnce() {
        List<String> hostPorts = new ArrayList<>();
        Repo.services(compose).values().forEach(s -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> service = (Map<String, Object>) s;
            Repo.ports(service).forEach(p -> hostPorts.add(p.substring(0, p.indexOf(':'))));
        });
        assertThat(hostPorts).as("host ports published in docker-compose.yml").doesNotHaveDuplicates();
    }

    @Test
    void shouldPinEveryImageToAVersion() {
        Repo.services(compose).forEach((name, s) -> {
            @SuppressWarnings("unchecked")
            String image = (String) ((Map<String, Object>) s).get("image");
            assertThat(image).as("image of " + name).isNotNull();
            assertPinned(name, image);
        });
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(Repo.read("Dockerfile"));
        assertThat(from.find()).as("Dockerfile has a FROM").isTrue();
        assertPinned("Dockerfile", from.group(1));
    }

    private static void assertPinned(String where, String image) {
        String lastSegment = image.substring(image.lastIndexOf('/') + 1);
        assertThat(lastSegment).as(where + ": " + image + " names a tag").contains(":");
        String tag = lastSegment.substring(lastSegment.indexOf(':') + 1);
        assertThat(tag).as(where + ": " + image).isNotBlank().isNotEqualToIgnoringCase("latest");
    }

    @Test
    void shouldUseTheProjectKafkaToxiproxyAndRegistryImages() {
        assertThat(imageOf("toxiproxy")).isEqualTo(ContainersLab.TOXIPROXY_IMAGE);
        assertThat(imageOf("registry")).isEqualTo(ContainersLab.REGISTRY_IMAGE);
        for (SiteDescriptor site : lab.sites()) {
            assertThat(imageOf("kafka-" + site.name())).isEqualTo(ContainersLab.KAFKA_IMAGE);
        }
    }

    @Test
    void shouldPublishEachSitesBrokerWhereTheDescriptorPointsTheCli() {
        for (SiteDescriptor site : lab.sites()) {
            Map<String, Object> broker = Repo.service(compose, "kafka-" + site.name());
            int port = Repo.port(site.bootstrap());
            assertThat(Repo.ports(broker)).contains(port + ":" + port);
            Map<String, String> listeners = listenerMap(Repo.environment(broker).get("KAFKA_LISTENERS"));
            Map<String, String> advertised = listenerMap(Repo.environment(broker).get("KAFKA_ADVERTISED_LISTENERS"));
            assertThat(advertised).as("advertised listeners of kafka-" + site.name()).containsValue(site.bootstrap());
            String hostListener = keyOf(advertised, site.bootstrap());
            assertThat(Repo.port(listeners.get(hostListener))).isEqualTo(port);
            assertThat(protocols(broker)).containsKeys(listeners.keySet().toArray(String[]::new));
        }
    }

    @Test
    void shouldPublishRegistryToxiproxyAndSiteServicesAtTheDescriptorsPorts() {
        URI registry = URI.create(lab.registry());
        assertThat(registry.getPath()).isEqualTo("/apis/ccompat/v7");
        assertThat(Repo.ports(Repo.service(compose, "registry"))).contains(registry.getPort() + ":8080");

        assertThat(lab.linkControl()).containsEntry(LinkControls.DRIVER, LinkControls.TOXIPROXY);
        int api = URI.create(lab.linkControl().get(LinkControls.URL)).getPort();
        assertThat(Repo.ports(Repo.service(compose, "toxiproxy"))).contains(api + ":8474");

        for (SiteDescriptor site : lab.sites()) {
            assertThat(site.services()).containsOnlyKeys("writer", "reconciler", "audit", HEALTH);
            for (String key : SITE_HTTP_SERVICES) {
                Map<String, Object> service = Repo.service(compose, key + "-" + site.name());
                assertThat(Repo.ports(service)).as(key + "-" + site.name())
                        .containsExactly(URI.create(site.requireService(key)).getPort() + ":8080");
                assertThat(Repo.environment(service)).containsEntry("NETSPLIT_SITE", site.name());
            }
        }
    }

    @Test
    void shouldPublishTheOneHealthCheckerWhereEverySiteOfTheDescriptorPointsTheCli() {
        // one checker for the deployment: every site names the same URL, as in the embedded lab
        Set<String> urls = new LinkedHashSet<>();
        lab.sites().forEach(site -> urls.add(site.requireService(HEALTH)));
        assertThat(urls).as("every site's health service in docker/lab.json").hasSize(1);
        URI url = URI.create(urls.iterator().next());
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(Repo.ports(Repo.service(compose, HEALTH))).containsExactly(url.getPort() + ":8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheHealthCheckerFromTheProjectImageOnEverySitesNetwork() {
        Map<String, Object> health = Repo.service(compose, HEALTH);
        assertThat(health.get("image")).isEqualTo(imageOf("writer-" + siteNames().get(0)));
        assertThat((List<String>) health.get("command")).containsExactly("health");
        // it probes every site's broker and reconciler directly, and the links through Toxiproxy
        assertThat(Repo.networks(health)).containsExactlyInAnyOrderElementsOf(siteNames());
        assertThat(Repo.environment(health)).as("one checker serves every site").doesNotContainKey("NETSPLIT_SITE");
        Map<String, Object> healthcheck = (Map<String, Object>) health.get("healthcheck");
        assertThat((List<String>) healthcheck.get("test")).containsExactly("CMD", "/opt/netsplit/bin/healthcheck.sh", "/ready");
        // started after what it checks, as the lab starts it last
        List<String> needed = new ArrayList<>(siteNames().stream().map(s -> "reconciler-" + s).toList());
        needed.add("toxiproxy");
        assertThat(dependsOn(HEALTH)).containsAll(needed);
    }

    @Test
    void shouldAdvertiseEveryWanListenerAtItsToxiproxyLink() throws Exception {
        JsonNode proxies = JSON.readTree(Repo.read("docker/toxiproxy.json"));
        assertThat(lab.links()).hasSize(lab.sites().size() * (lab.sites().size() - 1));
        assertThat(proxies).hasSize(lab.links().size());
        for (LinkDescriptor link : lab.links()) {
            assertThat(link.listener()).isEqualTo(LinkDescriptor.listenerName(link.target()));
            Map<String, Object> broker = Repo.service(compose, "kafka-" + link.source());
            Map<String, String> listeners = listenerMap(Repo.environment(broker).get("KAFKA_LISTENERS"));
            Map<String, String> advertised = listenerMap(Repo.environment(broker).get("KAFKA_ADVERTISED_LISTENERS"));
            // bound on the source broker at the link's upstream port, advertised at the proxy
            assertThat(link.upstream()).isEqualTo("kafka-" + link.source() + ":" + Repo.port(listeners.get(link.listener())));
            assertThat(advertised).containsEntry(link.listener(), link.listen());
            assertThat(link.listen()).startsWith(ContainersLab.TOXIPROXY_ALIAS + ":");

            JsonNode proxy = proxyNamed(proxies, ToxiproxyLinkControl.proxyName(link.source(), link.target()));
            assertThat(proxy.path("upstream").asText()).isEqualTo(link.upstream());
            assertThat(Repo.port(proxy.path("listen").asText())).isEqualTo(Repo.port(link.listen()));
            assertThat(proxy.path("enabled").asBoolean()).isTrue();
            int listenPort = Repo.port(link.listen());
            assertThat(Repo.ports(Repo.service(compose, "toxiproxy"))).contains(listenPort + ":" + listenPort);
        }
    }

    @Test
    void shouldKeepEachSitesBrokerAndMirrorOffTheOtherSitesNetwork() {
        Set<String> siteNames = new LinkedHashSet<>();
        lab.sites().forEach(s -> siteNames.add(s.name()));
        assertThat(Repo.networks(Repo.service(compose, "toxiproxy"))).containsExactlyInAnyOrderElementsOf(siteNames);
        assertThat(Repo.networks(Repo.service(compose, "registry"))).containsExactlyInAnyOrderElementsOf(siteNames);
        for (String site : siteNames) {
            for (String prefix : SITE_SERVICES) {
                assertThat(Repo.networks(Repo.service(compose, prefix + "-" + site)))
                        .as(prefix + "-" + site + " is on its own site's network only").containsExactly(site);
            }
        }
    }

    @Test
    void shouldRunEachMirrorWithTheProjectsGeneratedMm2Properties() {
        for (SiteDescriptor target : lab.sites()) {
            Map<String, String> bootstrap = new LinkedHashMap<>();
            for (SiteDescriptor s : lab.sites()) {
                if (s.name().equals(target.name())) {
                    Map<String, String> advertised = listenerMap(
                            Repo.environment(Repo.service(compose, "kafka-" + s.name())).get("KAFKA_ADVERTISED_LISTENERS"));
                    bootstrap.put(s.name(), advertised.get("INTERNAL"));
                } else {
                    LinkDescriptor link = lab.links().stream()
                            .filter(l -> l.source().equals(s.name()) && l.target().equals(target.name()))
                            .findFirst().orElseThrow();
                    bootstrap.put(s.name(), link.listen());
                }
            }
            String expected = MirrorMakerProperties.render(target.name(),
                    MirrorMakerProperties.forTarget(target.name(), bootstrap, MirrorConfig.fromSettings(Map.of())));
            assertThat(Repo.read("docker/mirror/mm2-" + target.name() + ".properties"))
                    .as("docker/mirror/mm2-%s.properties (regenerate with MirrorMakerProperties if the mirror's config changed)",
                            target.name())
                    .isEqualTo(expected);
        }
    }

    @Test
    void shouldPointSiteServicesAtTheirOwnBrokerAndTheRegistry() {
        for (SiteDescriptor site : lab.sites()) {
            String internal = listenerMap(Repo.environment(Repo.service(compose, "kafka-" + site.name()))
                    .get("KAFKA_ADVERTISED_LISTENERS")).get("INTERNAL");
            for (String key : List.of("writer", "reconciler", "audit")) {
                Map<String, String> env = Repo.environment(Repo.service(compose, key + "-" + site.name()));
                assertThat(env).containsEntry("NETSPLIT_BOOTSTRAP", internal)
                        .containsEntry("NETSPLIT_REGISTRY", "http://registry:8080/apis/ccompat/v7")
                        .containsEntry("NETSPLIT_SITES", String.join(",", siteNames()));
            }
        }
    }

    @Test
    void shouldStartInOrderOnlyAfterWhatEachServiceNeedsIsHealthy() {
        Map<String, Object> services = Repo.services(compose);
        services.forEach((name, s) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> service = (Map<String, Object>) s;
            boolean oneShot = name.startsWith("topics-");
            assertThat(service.containsKey("healthcheck") || oneShot).as(name + " has a health check").isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> deps = (Map<String, Map<String, String>>) service.getOrDefault("depends_on", Map.of());
            deps.forEach((dep, condition) -> {
                assertThat(services).as(name + " depends on " + dep).containsKey(dep);
                String expected = dep.startsWith("topics-") ? "service_completed_successfully" : "service_healthy";
                assertThat(condition).as(name + " -> " + dep).containsEntry("condition", expected);
            });
        });
        for (String site : siteNames()) {
            assertThat(dependsOn("mirror-" + site)).contains("topics-" + site, "toxiproxy");
            assertThat(dependsOn("reconciler-" + site)).contains("topics-" + site, "registry");
            // the reconciler creates `converged` (compacted) and `audit`; their readers start after it
            assertThat(dependsOn("writer-" + site)).contains("reconciler-" + site, "registry");
            assertThat(dependsOn("audit-" + site)).contains("reconciler-" + site, "registry");
            assertThat(dependsOn("topics-" + site)).containsExactly("kafka-" + site);
        }
    }

    @Test
    void shouldCreateTheTopicsTheReconcilerSubscribesTo() {
        for (String site : siteNames()) {
            @SuppressWarnings("unchecked")
            String script = String.join(" ", (List<String>) Repo.service(compose, "topics-" + site).get("command"));
            assertThat(script).contains("--bootstrap-server kafka-" + site + ":9092");
            List<String> topics = new ArrayList<>(List.of("changes"));
            siteNames().stream().filter(s -> !s.equals(site)).forEach(s -> topics.add(s + ".changes"));
            assertThat(script).contains("for t in " + String.join(" ", topics) + ";");
        }
    }

    private List<String> siteNames() {
        return lab.sites().stream().map(SiteDescriptor::name).toList();
    }

    @SuppressWarnings("unchecked")
    private Set<String> dependsOn(String service) {
        return ((Map<String, Object>) Repo.service(compose, service).getOrDefault("depends_on", Map.of())).keySet();
    }

    private String imageOf(String service) {
        return (String) Repo.service(compose, service).get("image");
    }

    private static Map<String, String> protocols(Map<String, Object> broker) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : Repo.environment(broker).get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
            String[] kv = entry.split(":");
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    /** {@code NAME://host:port,...} as NAME -> host:port. */
    static Map<String, String> listenerMap(String listeners) {
        assertThat(listeners).isNotBlank();
        Map<String, String> out = new LinkedHashMap<>();
        Arrays.stream(listeners.split(",")).map(String::trim).forEach(l -> {
            int sep = l.indexOf("://");
            out.put(l.substring(0, sep), l.substring(sep + 3));
        });
        return out;
    }

    private static String keyOf(Map<String, String> map, String value) {
        return map.entrySet().stream().filter(e -> e.getValue().equals(value)).findFirst().orElseThrow().getKey();
    }

    private static JsonNode proxyNamed(JsonNode proxies, String name) {
        for (JsonNode p : proxies) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("docker/toxiproxy.json has no proxy '" + name + "'");
    }
}
