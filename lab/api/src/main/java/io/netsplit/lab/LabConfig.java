package io.netsplit.lab;

import io.netsplit.kit.SiteAlias;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lab's configuration. Each key is defined once with its doc and default; {@link #parse(Map)}
 * validates everything at start-up and names the bad key in its one-line error.
 */
public record LabConfig(
        List<String> sites,
        Path runDir,
        String linkDriver,
        String brokerHeap,
        int changesPartitions,
        Set<String> disabledComponents,
        Duration readyTimeout,
        int brokersPerSite,
        long changesRetentionMs,
        long changesSegmentMs,
        long retentionCheckMs,
        Map<String, String> settings) {

    public static final String SITES = "lab.sites";
    public static final String SITES_DOC = "Comma-separated site aliases (lowercase letters, digits, '-'); one cluster per site (lab.brokers.per.site brokers, 1 by default).";
    public static final String SITES_DEFAULT = "us-east,eu-west";

    public static final String DIR = "lab.dir";
    public static final String DIR_DOC = "Run directory: logs, data and lab.json. Default: $NETSPLIT_LAB, else ~/.netsplit/lab.";

    public static final String LINK_DRIVER = "lab.link.driver";
    public static final String LINK_DRIVER_DOC = "Link driver: auto (Toxiproxy when a server is found, else embedded), toxiproxy or embedded.";
    public static final String LINK_DRIVER_DEFAULT = "auto";

    public static final String BROKER_HEAP = "lab.broker.heap";
    public static final String BROKER_HEAP_DOC = "Maximum heap of each broker JVM (-Xmx).";
    public static final String BROKER_HEAP_DEFAULT = "512m";

    public static final String CHANGES_PARTITIONS = "lab.changes.partitions";
    public static final String CHANGES_PARTITIONS_DOC = "Partitions of each site's changes topic.";
    public static final String CHANGES_PARTITIONS_DEFAULT = "1";

    public static final String DISABLED_COMPONENTS = "lab.components.disabled";
    public static final String DISABLED_COMPONENTS_DOC = "Comma-separated lab components not to start (e.g. mirror,writer).";
    public static final String DISABLED_COMPONENTS_DEFAULT = "";

    public static final String READY_TIMEOUT = "lab.ready.timeout.seconds";
    public static final String READY_TIMEOUT_DOC = "How long each component may take to become ready.";
    public static final String READY_TIMEOUT_DEFAULT = "120";

    public static final String BROKERS_PER_SITE = "lab.brokers.per.site";
    public static final String BROKERS_PER_SITE_DOC = "Brokers in each site's cluster (one JVM each). With 3 or more, topics "
            + "get 3 replicas and min.insync.replicas=2, and the writers check that they do (writer.durability.check=fail); "
            + "with fewer, the writers only warn. More than 1 needs a one-site lab (the links reach one broker per site).";
    public static final String BROKERS_PER_SITE_DEFAULT = "1";

    public static final String CHANGES_RETENTION = "lab.changes.retention.ms";
    public static final String CHANGES_RETENTION_DOC = "retention.ms of each site's changes topic (and so of the mirrored "
            + "<alias>.changes, which MirrorMaker 2 keeps in step): -1 keeps every acknowledged write; a small value "
            + "(with lab.changes.segment.ms and lab.broker.retention.check.ms) lets a test lose records to retention.";
    public static final String CHANGES_RETENTION_DEFAULT = "-1";

    public static final String CHANGES_SEGMENT = "lab.changes.segment.ms";
    public static final String CHANGES_SEGMENT_DOC = "segment.ms of each site's changes topic: retention deletes whole "
            + "closed segments only. 0 leaves the broker's default (7 days).";
    public static final String CHANGES_SEGMENT_DEFAULT = "0";

    public static final String RETENTION_CHECK = "lab.broker.retention.check.ms";
    public static final String RETENTION_CHECK_DOC = "log.retention.check.interval.ms of every broker: how often "
            + "retention deletes old segments.";
    public static final String RETENTION_CHECK_DEFAULT = "300000";

    private static final Set<String> DRIVERS = Set.of("auto", "toxiproxy", "embedded");

    public LabConfig {
        sites = List.copyOf(sites);
        disabledComponents = Set.copyOf(disabledComponents);
        settings = Map.copyOf(settings);
    }

    /**
     * A component setting: every key that does not start with {@code lab.} is passed through to the
     * components (e.g. {@code reconcile.policy.default}); each component validates its own.
     */
    public java.util.Optional<String> setting(String key) {
        return java.util.Optional.ofNullable(settings.get(key));
    }

    /** Every key with its doc and default, for help texts and docs. */
    public static Map<String, String[]> keys() {
        Map<String, String[]> keys = new LinkedHashMap<>();
        keys.put(SITES, new String[] {SITES_DOC, SITES_DEFAULT});
        keys.put(DIR, new String[] {DIR_DOC, "~/.netsplit/lab"});
        keys.put(LINK_DRIVER, new String[] {LINK_DRIVER_DOC, LINK_DRIVER_DEFAULT});
        keys.put(BROKER_HEAP, new String[] {BROKER_HEAP_DOC, BROKER_HEAP_DEFAULT});
        keys.put(CHANGES_PARTITIONS, new String[] {CHANGES_PARTITIONS_DOC, CHANGES_PARTITIONS_DEFAULT});
        keys.put(DISABLED_COMPONENTS, new String[] {DISABLED_COMPONENTS_DOC, DISABLED_COMPONENTS_DEFAULT});
        keys.put(READY_TIMEOUT, new String[] {READY_TIMEOUT_DOC, READY_TIMEOUT_DEFAULT});
        keys.put(BROKERS_PER_SITE, new String[] {BROKERS_PER_SITE_DOC, BROKERS_PER_SITE_DEFAULT});
        keys.put(CHANGES_RETENTION, new String[] {CHANGES_RETENTION_DOC, CHANGES_RETENTION_DEFAULT});
        keys.put(CHANGES_SEGMENT, new String[] {CHANGES_SEGMENT_DOC, CHANGES_SEGMENT_DEFAULT});
        keys.put(RETENTION_CHECK, new String[] {RETENTION_CHECK_DOC, RETENTION_CHECK_DEFAULT});
        return keys;
    }

    /** Builds a validated config; unknown keys starting with {@code lab.} are rejected by name. */
    public static LabConfig parse(Map<String, String> props) {
        for (String key : props.keySet()) {
            if (key.startsWith("lab.") && !keys().containsKey(key)) {
                throw new LabException("unknown lab setting '" + key + "'; known: " + keys().keySet());
            }
        }
        List<String> sites = parseSites(props.getOrDefault(SITES, SITES_DEFAULT));
        Path dir = props.containsKey(DIR) ? Path.of(props.get(DIR)) : LabLocator.defaultDir();
        String driver = props.getOrDefault(LINK_DRIVER, LINK_DRIVER_DEFAULT).trim().toLowerCase(Locale.ROOT);
        if (!DRIVERS.contains(driver)) {
            throw new LabException(LINK_DRIVER + ": '" + driver + "' is not one of " + DRIVERS);
        }
        String heap = props.getOrDefault(BROKER_HEAP, BROKER_HEAP_DEFAULT).trim();
        if (!heap.matches("[0-9]+[kmgKMG]?")) {
            throw new LabException(BROKER_HEAP + ": '" + heap + "' is not a JVM heap size like 512m");
        }
        int partitions = positiveInt(props, CHANGES_PARTITIONS, CHANGES_PARTITIONS_DEFAULT);
        Set<String> disabled = new HashSet<>();
        for (String c : props.getOrDefault(DISABLED_COMPONENTS, DISABLED_COMPONENTS_DEFAULT).split(",")) {
            if (!c.isBlank()) {
                disabled.add(c.trim());
            }
        }
        int timeout = positiveInt(props, READY_TIMEOUT, READY_TIMEOUT_DEFAULT);
        int brokers = positiveInt(props, BROKERS_PER_SITE, BROKERS_PER_SITE_DEFAULT);
        if (brokers > 1 && sites.size() > 1) {
            throw new LabException(BROKERS_PER_SITE + ": " + brokers + " brokers per site need a one-site lab ("
                    + SITES + " names " + sites.size() + "): the links reach one broker per site");
        }
        long retention = longAtLeast(props, CHANGES_RETENTION, CHANGES_RETENTION_DEFAULT, -1);
        long segment = longAtLeast(props, CHANGES_SEGMENT, CHANGES_SEGMENT_DEFAULT, 0);
        long check = longAtLeast(props, RETENTION_CHECK, RETENTION_CHECK_DEFAULT, 1);
        Map<String, String> settings = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (!k.startsWith("lab.")) {
                settings.put(k, v);
            }
        });
        return new LabConfig(sites, dir, driver, heap, partitions, disabled, Duration.ofSeconds(timeout), brokers,
                retention, segment, check, settings);
    }

    public static LabConfig defaults() {
        return parse(Map.of());
    }

    public LabConfig withRunDir(Path dir) {
        return new LabConfig(sites, dir, linkDriver, brokerHeap, changesPartitions, disabledComponents, readyTimeout,
                brokersPerSite, changesRetentionMs, changesSegmentMs, retentionCheckMs, settings);
    }

    /** Parses and validates a comma-separated site list. */
    public static List<String> parseSites(String value) {
        List<String> sites = new ArrayList<>();
        for (String raw : value.split(",")) {
            String s = raw.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!SiteAlias.isValid(s)) {
                throw new LabException(SITES + ": '" + s + "' is not a site alias (" + SiteAlias.RULE + ")");
            }
            if (sites.contains(s)) {
                throw new LabException(SITES + ": site '" + s + "' is listed twice");
            }
            sites.add(s);
        }
        if (sites.isEmpty()) {
            throw new LabException(SITES + ": at least one site is needed");
        }
        return sites;
    }

    private static int positiveInt(Map<String, String> props, String key, String dflt) {
        String v = props.getOrDefault(key, dflt).trim();
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new LabException(key + ": '" + v + "' is not a positive whole number");
        }
    }

    private static long longAtLeast(Map<String, String> props, String key, String dflt, long min) {
        String v = props.getOrDefault(key, dflt).trim();
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new LabException(key + ": '" + v + "' is not a whole number of at least " + min);
        }
    }
}
