package io.netsplit.mirror;

import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.SiteDescriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Generates the MirrorMaker 2 dedicated-mode configuration of one <em>target</em> site from the
 * site list: every other site replicates its {@code changes} into {@code <source>.changes} here.
 * Remote clusters are reached only through their link to this site; the target directly.
 *
 * <p>Loop-free for any number of sites: only the topics named in {@link MirrorConfig#topics()}
 * (matched exactly) are replicated, so {@code us-east.changes} at eu-west is never replicated
 * again, and MM2's cycle check refuses to send a topic back to the site it came from. Keys that MM2
 * reads only per cluster ({@code plugin.discovery}, {@code scheduled.rebalance.max.delay.ms},
 * {@code offset.flush.interval.ms}, client settings) are written with the cluster-alias prefix:
 * MM2 ignores them at top level. See the module README for why each key is set.
 */
public final class MirrorMakerProperties {

    private MirrorMakerProperties() {
    }

    /**
     * The MM2 properties for the instance at {@code target}, with each remote site reached through
     * the link {@code remote -> target}.
     */
    public static Map<String, String> forTarget(String target, List<SiteDescriptor> sites, List<LinkDescriptor> links,
                                                MirrorConfig config) {
        Map<String, String> bootstrap = new LinkedHashMap<>();
        for (SiteDescriptor s : sites) {
            if (s.name().equals(target)) {
                bootstrap.put(s.name(), s.bootstrap());
            } else {
                LinkDescriptor link = links.stream()
                        .filter(l -> l.source().equals(s.name()) && l.target().equals(target))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no link " + s.name() + "->" + target
                                + " for the mirror at " + target));
                bootstrap.put(s.name(), link.listen());
            }
        }
        return forTarget(target, bootstrap, config);
    }

    /**
     * The MM2 properties for the instance at {@code target}; {@code bootstrapBySite} holds every
     * site (the target included) with the address this instance must use for it.
     */
    public static Map<String, String> forTarget(String target, Map<String, String> bootstrapBySite, MirrorConfig config) {
        if (!bootstrapBySite.containsKey(target)) {
            throw new IllegalArgumentException("target site '" + target + "' is not among the sites " + bootstrapBySite.keySet());
        }
        List<String> sites = new ArrayList<>(bootstrapBySite.keySet());
        List<String> sources = sites.stream().filter(s -> !s.equals(target)).toList();
        String timeout = Integer.toString(config.requestTimeoutMs());
        String apiTimeout = Integer.toString(config.requestTimeoutMs() * 3);

        Map<String, String> p = new LinkedHashMap<>();
        p.put("clusters", String.join(", ", sites));
        for (String site : sites) {
            p.put(site + ".bootstrap.servers", bootstrapBySite.get(site));
        }
        // flows: every other site into this one, nothing else
        for (String source : sources) {
            p.put(source + "->" + target + ".enabled", "true");
        }
        // topic names are regexes to MM2: match each name exactly
        p.put("topics", config.topics().stream().map(t -> t.replace(".", "\\.")).collect(Collectors.joining(",")));
        p.put("replication.policy.class", "org.apache.kafka.connect.mirror.DefaultReplicationPolicy");
        p.put("refresh.topics.interval.seconds", Integer.toString(config.refreshTopicsSeconds()));
        p.put("emit.heartbeats.enabled", "true");
        p.put("emit.heartbeats.interval.seconds", Integer.toString(config.heartbeatsSeconds()));
        p.put("emit.checkpoints.enabled", "false");
        p.put("sync.group.offsets.enabled", "false");
        p.put("refresh.groups.enabled", "false");
        p.put("sync.topic.acls.enabled", "false");
        p.put("offset-syncs.topic.location", "target");
        p.put("tasks.max", Integer.toString(config.tasksMax()));
        p.put("admin.timeout.ms", apiTimeout);
        // a single broker per site in the lab
        p.put("replication.factor", "1");
        p.put("offset-syncs.topic.replication.factor", "1");
        p.put("heartbeats.topic.replication.factor", "1");
        p.put("checkpoints.topic.replication.factor", "1");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");

        // read by MirrorMakerConfig itself (config providers); without it MM2 scans the whole classpath at start
        p.put("plugin.discovery", "service_load");
        // the Connect worker of each herder reads its settings from the target cluster's prefix only
        p.put(target + ".plugin.discovery", "service_load");
        p.put(target + ".scheduled.rebalance.max.delay.ms", "0");
        p.put(target + ".offset.flush.interval.ms", Integer.toString(config.offsetFlushMs()));
        p.put(target + ".task.shutdown.graceful.timeout.ms", "2000");
        p.put(target + ".producer.linger.ms", "5");
        p.put(target + ".producer.acks", "all");
        for (String source : sources) {
            // harmless for a source, and right if an operator later runs this site as a target too
            p.put(source + ".plugin.discovery", "service_load");
            p.put(source + ".scheduled.rebalance.max.delay.ms", "0");
            // clients that cross the link: notice a dead connection (blackhole) within the timeout
            for (String client : List.of("consumer", "admin")) {
                p.put(source + "." + client + ".request.timeout.ms", timeout);
                p.put(source + "." + client + ".default.api.timeout.ms", apiTimeout);
                p.put(source + "." + client + ".socket.connection.setup.timeout.ms", "5000");
                p.put(source + "." + client + ".socket.connection.setup.timeout.max.ms", "10000");
                p.put(source + "." + client + ".reconnect.backoff.max.ms", "1000");
                p.put(source + "." + client + ".metadata.max.age.ms", "30000");
            }
            p.put(source + ".consumer.auto.offset.reset", "earliest");
            // the writers produce in transactions: never carry an aborted write to another site
            p.put(source + ".consumer.isolation.level", "read_committed");
        }
        return p;
    }

    /** The properties as a {@code mm2.properties} file. */
    public static String render(String target, Map<String, String> props) {
        // java.util.Properties reads a backslash as an escape
        return props.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n",
                        "# MirrorMaker 2 (dedicated mode) for target site " + target + ", written by netsplit-mirror\n", "\n"));
    }
}
