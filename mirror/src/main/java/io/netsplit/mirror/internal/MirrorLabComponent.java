package io.netsplit.mirror.internal;

import io.netsplit.kit.TopicName;
import io.netsplit.kit.TopicSettings;
import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.LabException;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.ManagedProcess;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.LinkControls;
import io.netsplit.mirror.LinkHealthMonitor;
import io.netsplit.mirror.LinkHealthServer;
import io.netsplit.mirror.MirrorConfig;
import io.netsplit.mirror.MirrorMakerProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Lab component {@code mirror} (start order 20, stopped before everything else): per target site
 * one MirrorMaker 2 process ({@link MirrorProcess}) with the configuration of
 * {@link MirrorMakerProperties}, then the link health monitor in the lab's JVM.
 *
 * <p>Before MM2 starts it creates {@code <source>.<topic>} at every target (same partition count as
 * the source), so consumers of the mirrored topics can subscribe at once. It returns when every
 * flow's MirrorSourceConnector has all its tasks running. Registers in {@code lab.json}:
 * {@code linkControl.health} (the health endpoint) and, per site, service {@code mirror}
 * ({@code <health>/sites/<site>}, whose {@code /health} lists the links into that site).
 */
public final class MirrorLabComponent implements LabComponent {

    private static final Logger log = LoggerFactory.getLogger(MirrorLabComponent.class);

    @Override
    public String name() {
        return "mirror";
    }

    @Override
    public int startOrder() {
        return 20;
    }

    /** MM2 reaches remote sites only through the links. */
    @Override
    public Set<String> startsAfter() {
        return Set.of(BROKER, "links");
    }

    /** MM2 hangs on SIGTERM once its brokers are gone: stop it before anything else. */
    @Override
    public int stopOrder() {
        return -1000;
    }

    @Override
    public void start(LabContext context) throws Exception {
        List<SiteDescriptor> sites = context.sites();
        List<LinkDescriptor> links = context.links();
        if (sites.size() < 2) {
            return;
        }
        MirrorConfig config = MirrorConfig.fromSettings(context.config().settings());
        for (SiteDescriptor target : sites) {
            createRemoteTopics(target, sites, config);
        }
        Map<String, ManagedProcess> processes = new ConcurrentHashMap<>();
        Map<String, String> statusUrls = new ConcurrentHashMap<>();
        for (SiteDescriptor target : sites) {
            Path dir = context.runDir().resolve("mirror").resolve(target.name());
            Files.createDirectories(dir);
            Path props = dir.resolve("mm2.properties");
            Files.writeString(props, MirrorMakerProperties.render(target.name(),
                    MirrorMakerProperties.forTarget(target.name(), sites, links, config)));
            int port = context.freePort();
            String statusUrl = "http://127.0.0.1:" + port;
            ManagedProcess p = context.launchJava(name(), target.name(),
                    List.of("-Xms64m", "-Xmx" + config.heap(), "-XX:+UseSerialGC"),
                    MirrorProcess.class.getName(),
                    List.of(props.toString(), "--clusters", target.name(), "--status-port", Integer.toString(port),
                            "--grace-ms", Integer.toString(config.shutdownGraceMs())),
                    () -> HttpEndpoints.ok(statusUrl + "/ready"));
            processes.put(target.name(), p);
            statusUrls.put(target.name(), statusUrl);
        }
        awaitFlowsRunning(statusUrls, context.config().readyTimeout());

        LinkHealthMonitor monitor = new LinkHealthMonitor(sites, links, config,
                site -> processes.containsKey(site) ? processes.get(site).isAlive() : null).start();
        LinkHealthServer server = LinkHealthServer.start(monitor, context.freePort());
        context.onStop(server);
        context.onStop(monitor);
        context.putLinkControl(LinkControls.HEALTH, server.url());
        for (SiteDescriptor s : sites) {
            context.putService(s.name(), "mirror", server.url() + "/sites/" + s.name());
        }
        log.info("mirror: MM2 running at {} sites; link health at {}", sites.size(), server.url());
    }

    private static void awaitFlowsRunning(Map<String, String> statusUrls, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> waiting = new ArrayList<>(statusUrls.keySet());
        String last = "";
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                String site = it.next();
                try {
                    var r = HttpEndpoints.get(statusUrls.get(site) + "/status", Duration.ofSeconds(3));
                    last = r.body();
                    if (r.statusCode() == 200 && Json.MAPPER.readTree(r.body()).path("running").asBoolean()) {
                        it.remove();
                    }
                } catch (java.io.IOException e) {
                    last = e.toString();
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("MirrorMaker at " + waiting + " did not start replicating within "
                        + timeout.toSeconds() + " s; last status: " + last);
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private static void createRemoteTopics(SiteDescriptor target, List<SiteDescriptor> sites, MirrorConfig config)
            throws InterruptedException {
        try (Admin admin = Admin.create(adminProps(target.bootstrap()))) {
            for (SiteDescriptor source : sites) {
                if (source.name().equals(target.name())) {
                    continue;
                }
                for (String topic : config.topics()) {
                    int partitions = partitions(source, topic);
                    String remote = source.name() + "." + topic;
                    try {
                        admin.createTopics(List.of(remoteTopic(topic, remote, partitions))).all().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new LabException("cannot create " + remote + " at " + target.name() + ": "
                                    + e.getCause().getMessage(), e);
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new LabException("creating " + remote + " at " + target.name() + " timed out", e);
                    }
                }
            }
        }
    }

    /**
     * A mirrored topic as the lab's one-broker sites have it: {@code <alias>.changes} with the explicit retention of
     * {@link TopicSettings} (MirrorMaker 2 then keeps its settings in step with the source's).
     */
    private static NewTopic remoteTopic(String topic, String remote, int partitions) {
        short rf = TopicSettings.replicationFactor(1);
        return topic.equals(TopicName.CHANGES.defaultName())
                ? TopicSettings.newTopic(TopicName.CHANGES, remote, partitions, rf, TopicSettings.CHANGES_RETENTION_DEFAULT)
                : new NewTopic(remote, partitions, rf);
    }

    private static int partitions(SiteDescriptor site, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(adminProps(site.bootstrap()))) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new LabException("cannot describe topic " + topic + " at " + site.name() + ": " + e.getMessage(), e);
        }
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return p;
    }
}
