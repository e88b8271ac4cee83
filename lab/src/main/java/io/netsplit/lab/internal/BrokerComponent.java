package io.netsplit.lab.internal;

import io.netsplit.kit.TopicName;
import io.netsplit.kit.TopicSettings;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabConfig;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.LabException;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.ManagedProcess;
import io.netsplit.lab.SiteDescriptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lab component that runs every site's brokers: a KRaft cluster per site of {@code lab.brokers.per.site} nodes
 * (one by default), each node broker and controller in its own JVM, storage formatted with Kafka's own tool, every
 * node formatted and started side by side. Once a broker is
 * ready it creates the site's topics: {@code changes}, {@code converged} (compacted), {@code audit} and
 * {@code changes.dlq}. Each broker advertises, besides its own listener, one listener per outgoing link (the
 * link's proxy address), which is how a remote site reaches it only through the link.
 */
public final class BrokerComponent implements LabComponent {

    /** Stopped last: everything else talks to the brokers. */
    static final int STOP_ORDER = 100;

    private final Map<String, Integer> controllerPorts;

    /** {@code controllerPorts}: per site, the port of its KRaft controller listener (the lab plans every port first). */
    public BrokerComponent(Map<String, Integer> controllerPorts) {
        this.controllerPorts = Map.copyOf(controllerPorts);
    }

    @Override
    public String name() {
        return BROKER;
    }

    @Override
    public int startOrder() {
        return 0;
    }

    @Override
    public Set<String> startsAfter() {
        return Set.of();
    }

    @Override
    public int stopOrder() {
        return STOP_ORDER;
    }

    @Override
    public void start(LabContext context) {
        long t0 = System.nanoTime();
        Path runDir = context.runDir();
        LabConfig config = context.config();
        List<Node> nodes = new ArrayList<>();
        List<Thread> formatting = new ArrayList<>();
        List<RuntimeException> formatErrors = new CopyOnWriteArrayList<>();
        for (SiteDescriptor site : context.sites()) {
            String clusterId = clusterId(); // every site is a cluster of its own
            Path siteDir = runDir.resolve("sites").resolve(site.name());
            List<int[]> ports = new ArrayList<>(); // per node: client port, controller port
            ports.add(new int[] {port(site.bootstrap()), controllerPorts.get(site.name())});
            for (int id = 2; id <= config.brokersPerSite(); id++) {
                ports.add(new int[] {context.freePort(), context.freePort()});
            }
            List<String> voters = new ArrayList<>();
            for (int i = 0; i < ports.size(); i++) {
                voters.add((i + 1) + "@127.0.0.1:" + ports.get(i)[1]);
            }
            List<LinkDescriptor> out = context.links().stream().filter(l -> l.source().equals(site.name())).toList();
            for (int i = 0; i < ports.size(); i++) {
                int id = i + 1;
                Path nodeDir = id == 1 ? siteDir : siteDir.resolve("node-" + id);
                Path props = writeProperties(nodeDir, BrokerConfig.properties(nodeDir.resolve("data").toString(), id,
                        ports.get(i)[0], ports.get(i)[1], String.join(",", voters), ports.size(), out),
                        config.retentionCheckMs());
                Node node = new Node(site, id, "127.0.0.1:" + ports.get(i)[0], props);
                nodes.add(node);
                formatting.add(Thread.ofPlatform().name("format-" + node.component() + "-" + site.name()).start(() -> {
                    try {
                        formatStorage(runDir, id == 1 ? site.name() : node.component() + "-" + site.name(), clusterId,
                                props, config.readyTimeout());
                    } catch (RuntimeException e) {
                        formatErrors.add(e);
                    }
                }));
            }
        }
        for (Thread t : formatting) {
            join(t);
        }
        if (!formatErrors.isEmpty()) {
            throw formatErrors.get(0);
        }
        Map<Node, ManagedProcess> brokers = new LinkedHashMap<>();
        for (Node node : nodes) {
            brokers.put(node, context.startJava(node.component(), node.site().name(),
                    List.of("-Xms128m", "-Xmx" + config.brokerHeap(), "-XX:+UseSerialGC"),
                    "kafka.Kafka", List.of(node.props().toString()), () -> ready(node.bootstrap())));
        }
        brokers.forEach((node, broker) -> {
            broker.awaitReady(config.readyTimeout());
            context.report(broker.label() + " ready", t0);
        });
        for (SiteDescriptor site : context.sites()) {
            createTopics(site, siteTopics(config));
        }
    }

    /**
     * One node of a site's cluster: node 1 is the component {@value LabComponent#BROKER} at the site's bootstrap
     * address, node {@code n > 1} the component {@code broker<n>} (so its process, log and PID are its own).
     */
    private record Node(SiteDescriptor site, int id, String bootstrap, Path props) {
        String component() {
            return id == 1 ? BROKER : BROKER + id;
        }
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static Path writeProperties(Path nodeDir, Map<String, String> properties, long retentionCheckMs) {
        try {
            Files.createDirectories(nodeDir);
            Path props = nodeDir.resolve("server.properties");
            Map<String, String> p = new LinkedHashMap<>(properties);
            p.put("log.retention.check.interval.ms", Long.toString(retentionCheckMs));
            Files.writeString(props, BrokerConfig.render(p));
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Formats the site's log directory with Kafka's own storage tool, given as long as a process has to get ready. */
    private static void formatStorage(Path runDir, String site, String clusterId, Path props, java.time.Duration timeout) {
        List<String> cmd = JavaCommand.of(runDir, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=" + LabFiles.logback(runDir)),
                "kafka.tools.StorageTool", List.of("format", "--cluster-id", clusterId, "--config", props.toString(),
                        "--ignore-formatted"));
        Path logFile = LabFiles.log(runDir, "storage-format", site);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LabException("formatting the broker storage of " + site + " timed out; log: " + logFile);
            }
            if (p.exitValue() != 0) {
                throw new LabException("formatting the broker storage of " + site + " failed (exit " + p.exitValue()
                        + "); log: " + logFile);
            }
        } catch (IOException e) {
            throw new LabException("cannot run Kafka's storage tool for " + site + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while formatting " + site, e);
        }
    }

    /**
     * A Kafka cluster id: 16 random bytes, base64url without padding; never starting with '-',
     * which the storage tool's argument parser would take for an option.
     */
    static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static boolean ready(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        }
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return p;
    }

    /**
     * The topics every site has, as {@link TopicSettings} decides them for the site's cluster, {@code changes} with
     * the lab's retention (and segment time, when set); an existing one is left as it is.
     */
    static List<NewTopic> siteTopics(LabConfig config) {
        short rf = TopicSettings.replicationFactor(config.brokersPerSite());
        long retention = config.changesRetentionMs();
        NewTopic changes = TopicSettings.newTopic(TopicName.CHANGES, EmbeddedLab.CHANGES_TOPIC,
                config.changesPartitions(), rf, retention);
        if (config.changesSegmentMs() > 0) {
            Map<String, String> c = new LinkedHashMap<>(changes.configs());
            c.put("segment.ms", Long.toString(config.changesSegmentMs()));
            changes.configs(c);
        }
        Map<String, String> converged = new LinkedHashMap<>(TopicSettings.configs(TopicName.CONVERGED, rf, retention));
        // compaction of `converged` should be observable within a drill, not hours later
        converged.put("min.cleanable.dirty.ratio", "0.1");
        converged.put("segment.ms", "60000");
        return List.of(changes,
                new NewTopic(EmbeddedLab.CONVERGED_TOPIC, config.changesPartitions(), rf).configs(converged),
                TopicSettings.newTopic(TopicName.AUDIT, EmbeddedLab.AUDIT_TOPIC, 1, rf, retention),
                TopicSettings.newTopic(TopicName.DLQ, EmbeddedLab.DLQ_TOPIC, 1, rf, retention));
    }

    private static void createTopics(SiteDescriptor site, List<NewTopic> topics) {
        try (Admin admin = Admin.create(adminProps(site.bootstrap()))) {
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new LabException("cannot create topic " + t.name() + " at " + site.name() + ": "
                                + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new LabException("creating topics at " + site.name() + " timed out", e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
