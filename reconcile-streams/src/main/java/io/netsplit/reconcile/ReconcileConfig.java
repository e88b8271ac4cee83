package io.netsplit.reconcile;

import io.netsplit.reconcile.merge.MergeConfig;
import io.netsplit.reconcile.merge.MergePolicy;
import io.netsplit.schemas.Limits;
import io.netsplit.reconcile.merge.SiteOrder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configuration of one site's reconciler. Each key is defined once with its doc and default
 * ({@code X} / {@code X_DOC} / {@code X_DEFAULT}); {@link #parse(Map)} validates everything at start-up
 * and names the bad key in a one-line {@link IllegalArgumentException}.
 *
 * <p>Every site must run with the same policy, prefixes, site order and authority, or sites break ties
 * differently and do not converge.
 */
public record ReconcileConfig(
        String site,
        String bootstrapServers,
        String registryUrl,
        String applicationId,
        String defaultPolicy,
        Map<String, String> policyPrefixes,
        List<String> siteOrder,
        List<String> authority,
        Topics topics,
        boolean ingest,
        int httpPort,
        String httpHost,
        Path stateDir,
        long commitIntervalMs,
        int streamThreads,
        Guards guards,
        short replicationFactor,
        long logEndOffset) {

    public static final String SITE = "reconcile.site";
    public static final String SITE_DOC = "Alias of the site this reconciler runs at (e.g. us-east); names its application id and its audit records.";

    public static final String BOOTSTRAP_SERVERS = "reconcile.bootstrap.servers";
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers of this site's cluster.";

    public static final String REGISTRY_URL = "reconcile.schema.registry.url";
    public static final String REGISTRY_URL_DOC = "Confluent-API schema registry base URL (mock://<scope> in fast tests).";

    public static final String APPLICATION_ID = "reconcile.application.id";
    public static final String APPLICATION_ID_DOC = "Kafka Streams application id; consumer group, transactional id and internal topic prefix.";
    public static final String APPLICATION_ID_DEFAULT = "netsplit-reconcile-<site>";

    public static final String POLICY_DEFAULT = "reconcile.policy.default";
    public static final String POLICY_DEFAULT_DOC = "Policy for keys no prefix matches: one of " + String.join(", ", MergePolicy.ids()) + ".";
    public static final String POLICY_DEFAULT_DEFAULT = "highest-version";

    public static final String POLICY_PREFIXES = "reconcile.policy.prefixes";
    public static final String POLICY_PREFIXES_DOC = "Comma-separated keyPrefix=policy rules, longest prefix wins (e.g. auth-=authoritative-site,lww-=lww).";
    public static final String POLICY_PREFIXES_DEFAULT = "";

    public static final String SITE_ORDER = "reconcile.site-order";
    public static final String SITE_ORDER_DOC = "Comma-separated site aliases, preferred first: the tie-break order. Unlisted sites rank after, by alias.";
    public static final String SITE_ORDER_DEFAULT = "";

    public static final String AUTHORITY = "reconcile.authority";
    public static final String AUTHORITY_DOC = "Comma-separated site ranking for authoritative-site, most authoritative first. Default: the site order.";
    public static final String AUTHORITY_DEFAULT = "";

    public static final String TOPIC_CHANGES = "reconcile.topic.changes";
    public static final String TOPIC_CHANGES_DOC = "Local changes topic; remote sites' mirrored topics are <alias>.<this name>, found by pattern.";
    public static final String TOPIC_CHANGES_DEFAULT = "changes";

    public static final String TOPIC_CONVERGED = "reconcile.topic.converged";
    public static final String TOPIC_CONVERGED_DOC = "Compacted output topic of ConvergedRecords (created with cleanup.policy=compact if missing).";
    public static final String TOPIC_CONVERGED_DEFAULT = "converged";

    public static final String TOPIC_AUDIT = "reconcile.topic.audit";
    public static final String TOPIC_AUDIT_DOC = "Output topic of AuditEvents, one per decision.";
    public static final String TOPIC_AUDIT_DEFAULT = "audit";

    public static final String TOPIC_DLQ = "reconcile.topic.dlq";
    public static final String TOPIC_DLQ_DOC = "Dead-letter topic for input records that cannot be read or break an invariant.";
    public static final String TOPIC_DLQ_DEFAULT = "changes.dlq";

    public static final String TOPIC_LOG = "reconcile.topic.log";
    public static final String TOPIC_LOG_DOC = "The site's ordered log: every input record, in the order this site consumed it (1 partition, kept forever). The merge and replays read it.";
    public static final String TOPIC_LOG_DEFAULT = "reconcile.log";

    public static final String HTTP_PORT = "reconcile.http.port";
    public static final String HTTP_PORT_DOC = "Port of the HTTP API (/status, /digest, /entities, /conflicts, /metrics); 0 picks a free one.";
    public static final String HTTP_PORT_DEFAULT = "0";

    public static final String HTTP_HOST = "reconcile.http.host";
    public static final String HTTP_HOST_DOC = "Address the HTTP API binds to: loopback by default; 0.0.0.0 in a container whose port is published.";
    public static final String HTTP_HOST_DEFAULT = "127.0.0.1";

    public static final String STATE_DIR = "reconcile.state.dir";
    public static final String STATE_DIR_DOC = "Kafka Streams state directory (RocksDB stores).";
    public static final String STATE_DIR_DEFAULT = "${java.io.tmpdir}/netsplit-reconcile";

    public static final String COMMIT_INTERVAL_MS = "reconcile.commit.interval.ms";
    public static final String COMMIT_INTERVAL_MS_DOC = "Transaction commit interval; bounds the added latency of the ordered log hop.";
    public static final String COMMIT_INTERVAL_MS_DEFAULT = "100";

    public static final String STREAM_THREADS = "reconcile.stream.threads";
    public static final String STREAM_THREADS_DOC = "Kafka Streams threads.";
    public static final String STREAM_THREADS_DEFAULT = "1";

    public static final String MAX_KEY_BYTES = "reconcile.max.key.bytes";
    public static final String MAX_KEY_BYTES_DOC = "Longest entity key accepted (UTF-8 bytes); longer keys go to the dead-letter topic. "
            + "At least " + Limits.KEY_BYTES + ", the most a writer accepts.";
    public static final String MAX_KEY_BYTES_DEFAULT = Integer.toString(Limits.KEY_BYTES);

    public static final String MAX_EVENT_BYTES = "reconcile.max.event.bytes";
    public static final String MAX_EVENT_BYTES_DOC = "Largest encoded change event accepted; larger ones go to the dead-letter topic. "
            + "At least " + Limits.EVENT_BYTES + ", the most a writer sends.";
    public static final String MAX_EVENT_BYTES_DEFAULT = Integer.toString(Limits.EVENT_BYTES);

    public static final String MAX_VECTOR_SITES = "reconcile.max.vector.sites";
    public static final String MAX_VECTOR_SITES_DOC = "Most sites an event's version vector may name; more go to the dead-letter topic.";
    public static final String MAX_VECTOR_SITES_DEFAULT = Integer.toString(Limits.VECTOR_SITES);

    public static final String MAX_STATE_BYTES = "reconcile.max.state.bytes";
    public static final String MAX_STATE_BYTES_DOC = "Largest encoded merge state of one key. An event that would make a key's state larger "
            + "is quarantined (dead-lettered with the reason) and the state left as it was, instead of failing the stream "
            + "thread on Kafka's record size limit again and again.";
    public static final String MAX_STATE_BYTES_DEFAULT = "900000";

    public static final String REPLICATION_FACTOR = "reconcile.replication.factor";
    public static final String REPLICATION_FACTOR_DOC = "Replication factor of the topics the reconciler creates; -1 uses the broker default.";
    public static final String REPLICATION_FACTOR_DEFAULT = "-1";

    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    /**
     * The size guards on input and state: key and event sizes, vector width (deterministic per event, so
     * every site refuses the same events), and the merge state of one key.
     */
    public record Guards(int maxKeyBytes, int maxEventBytes, int maxVectorSites, int maxStateBytes) {
    }

    /** Topic names of one run: the live ones, or a replay's side topics. */
    public record Topics(String changes, String converged, String audit, String dlq, String log) {

        /** {@code changes} and every {@code <alias>.changes}; never {@code changes.dlq} or another dotted name. */
        public Pattern inputPattern() {
            String quoted = Pattern.quote(changes);
            return Pattern.compile(quoted + "|[a-z][a-z0-9-]{0,30}\\." + quoted);
        }
    }

    public ReconcileConfig {
        policyPrefixes = Map.copyOf(policyPrefixes);
        siteOrder = List.copyOf(siteOrder);
        authority = List.copyOf(authority);
    }

    /** Every key with its doc and default (null: required), for help texts and the README. */
    public static Map<String, String[]> keys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put(SITE, new String[] {SITE_DOC, null});
        k.put(BOOTSTRAP_SERVERS, new String[] {BOOTSTRAP_SERVERS_DOC, null});
        k.put(REGISTRY_URL, new String[] {REGISTRY_URL_DOC, null});
        k.put(APPLICATION_ID, new String[] {APPLICATION_ID_DOC, APPLICATION_ID_DEFAULT});
        k.put(POLICY_DEFAULT, new String[] {POLICY_DEFAULT_DOC, POLICY_DEFAULT_DEFAULT});
        k.put(POLICY_PREFIXES, new String[] {POLICY_PREFIXES_DOC, POLICY_PREFIXES_DEFAULT});
        k.put(SITE_ORDER, new String[] {SITE_ORDER_DOC, SITE_ORDER_DEFAULT});
        k.put(AUTHORITY, new String[] {AUTHORITY_DOC, AUTHORITY_DEFAULT});
        k.put(TOPIC_CHANGES, new String[] {TOPIC_CHANGES_DOC, TOPIC_CHANGES_DEFAULT});
        k.put(TOPIC_CONVERGED, new String[] {TOPIC_CONVERGED_DOC, TOPIC_CONVERGED_DEFAULT});
        k.put(TOPIC_AUDIT, new String[] {TOPIC_AUDIT_DOC, TOPIC_AUDIT_DEFAULT});
        k.put(TOPIC_DLQ, new String[] {TOPIC_DLQ_DOC, TOPIC_DLQ_DEFAULT});
        k.put(TOPIC_LOG, new String[] {TOPIC_LOG_DOC, TOPIC_LOG_DEFAULT});
        k.put(HTTP_PORT, new String[] {HTTP_PORT_DOC, HTTP_PORT_DEFAULT});
        k.put(HTTP_HOST, new String[] {HTTP_HOST_DOC, HTTP_HOST_DEFAULT});
        k.put(STATE_DIR, new String[] {STATE_DIR_DOC, STATE_DIR_DEFAULT});
        k.put(COMMIT_INTERVAL_MS, new String[] {COMMIT_INTERVAL_MS_DOC, COMMIT_INTERVAL_MS_DEFAULT});
        k.put(STREAM_THREADS, new String[] {STREAM_THREADS_DOC, STREAM_THREADS_DEFAULT});
        k.put(MAX_KEY_BYTES, new String[] {MAX_KEY_BYTES_DOC, MAX_KEY_BYTES_DEFAULT});
        k.put(MAX_EVENT_BYTES, new String[] {MAX_EVENT_BYTES_DOC, MAX_EVENT_BYTES_DEFAULT});
        k.put(MAX_VECTOR_SITES, new String[] {MAX_VECTOR_SITES_DOC, MAX_VECTOR_SITES_DEFAULT});
        k.put(MAX_STATE_BYTES, new String[] {MAX_STATE_BYTES_DOC, MAX_STATE_BYTES_DEFAULT});
        k.put(REPLICATION_FACTOR, new String[] {REPLICATION_FACTOR_DOC, REPLICATION_FACTOR_DEFAULT});
        return k;
    }

    /**
     * Parses and validates. Keys starting with {@code reconcile.} that are not known are rejected by
     * name; other keys are ignored (a lab passes every component's settings).
     *
     * @throws IllegalArgumentException naming the bad key
     */
    public static ReconcileConfig parse(Map<String, String> props) {
        Map<String, String[]> known = keys();
        for (String key : props.keySet()) {
            if (key.startsWith("reconcile.") && !known.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + known.keySet());
            }
        }
        String site = required(props, SITE);
        if (!ALIAS.matcher(site).matches()) {
            throw new IllegalArgumentException(SITE + ": '" + site + "' is not a site alias (lowercase letters, digits and '-', starting with a letter)");
        }
        String bootstrap = required(props, BOOTSTRAP_SERVERS);
        String registry = required(props, REGISTRY_URL);
        String appId = get(props, APPLICATION_ID, "netsplit-reconcile-" + site);
        if (!appId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException(APPLICATION_ID + ": '" + appId + "' may hold only letters, digits, '.', '_' and '-'");
        }
        List<String> order = sites(props, SITE_ORDER, SITE_ORDER_DEFAULT);
        List<String> authority = sites(props, AUTHORITY, AUTHORITY_DEFAULT);
        String policy = get(props, POLICY_DEFAULT, POLICY_DEFAULT_DEFAULT);
        checkPolicy(POLICY_DEFAULT, policy);
        Map<String, String> prefixes = new TreeMap<>();
        for (String rule : get(props, POLICY_PREFIXES, POLICY_PREFIXES_DEFAULT).split(",")) {
            if (rule.isBlank()) {
                continue;
            }
            int eq = rule.indexOf('=');
            if (eq <= 0 || eq == rule.trim().length() - 1) {
                throw new IllegalArgumentException(POLICY_PREFIXES + ": '" + rule.trim() + "' is not keyPrefix=policy");
            }
            String prefix = rule.substring(0, eq).trim();
            String p = rule.substring(eq + 1).trim();
            checkPolicy(POLICY_PREFIXES, p);
            if (prefixes.put(prefix, p) != null) {
                throw new IllegalArgumentException(POLICY_PREFIXES + ": key prefix '" + prefix + "' is listed twice");
            }
        }
        Topics topics = new Topics(topic(props, TOPIC_CHANGES, TOPIC_CHANGES_DEFAULT),
                topic(props, TOPIC_CONVERGED, TOPIC_CONVERGED_DEFAULT), topic(props, TOPIC_AUDIT, TOPIC_AUDIT_DEFAULT),
                topic(props, TOPIC_DLQ, TOPIC_DLQ_DEFAULT), topic(props, TOPIC_LOG, TOPIC_LOG_DEFAULT));
        for (String out : List.of(topics.converged(), topics.audit(), topics.dlq(), topics.log())) {
            if (topics.inputPattern().matcher(out).matches()) {
                throw new IllegalArgumentException("topic '" + out + "' would match the input pattern " + topics.inputPattern()
                        + " (" + TOPIC_CHANGES + "); choose another name");
            }
        }
        int port = intIn(props, HTTP_PORT, HTTP_PORT_DEFAULT, 0, 65535);
        String host = get(props, HTTP_HOST, HTTP_HOST_DEFAULT).trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException(HTTP_HOST + ": must not be empty");
        }
        String dir = get(props, STATE_DIR, STATE_DIR_DEFAULT).replace("${java.io.tmpdir}", System.getProperty("java.io.tmpdir"));
        long commit = intIn(props, COMMIT_INTERVAL_MS, COMMIT_INTERVAL_MS_DEFAULT, 1, 600_000);
        int threads = intIn(props, STREAM_THREADS, STREAM_THREADS_DEFAULT, 1, 64);
        Guards guards = new Guards(intIn(props, MAX_KEY_BYTES, MAX_KEY_BYTES_DEFAULT, Limits.KEY_BYTES, 1 << 20),
                intIn(props, MAX_EVENT_BYTES, MAX_EVENT_BYTES_DEFAULT, Limits.EVENT_BYTES, 1 << 30),
                intIn(props, MAX_VECTOR_SITES, MAX_VECTOR_SITES_DEFAULT, 2, 1 << 20),
                intIn(props, MAX_STATE_BYTES, MAX_STATE_BYTES_DEFAULT, 1024, 1 << 30));
        int rf = intIn(props, REPLICATION_FACTOR, REPLICATION_FACTOR_DEFAULT, -1, 32);
        if (rf == 0) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + ": 0 is not a replication factor (-1 for the broker default)");
        }
        ReconcileConfig config = new ReconcileConfig(site, bootstrap, registry, appId, policy, prefixes, order, authority,
                topics, true, port, host, Path.of(dir), commit, threads, guards, (short) rf, Long.MAX_VALUE);
        config.mergeConfig(); // fails early on anything the merge core rejects
        return config;
    }

    /** The merge core's configuration: policies by prefix, the site order, the authority ranking. */
    public MergeConfig mergeConfig() {
        SiteOrder order = new SiteOrder(siteOrder);
        SiteOrder ranking = authority.isEmpty() ? order : new SiteOrder(authority);
        TreeMap<String, MergePolicy> byPrefix = new TreeMap<>();
        policyPrefixes.forEach((prefix, id) -> byPrefix.put(prefix, MergePolicy.byId(id, ranking)));
        return new MergeConfig(order, MergePolicy.byId(defaultPolicy, ranking), byPrefix);
    }

    /**
     * The configuration a replay runs with: a fresh application id, the same merge settings and ordered
     * log, outputs to side topics {@code <topic>.replay-<id>}, no ingest stage (the log is not appended
     * to), and only the log records before {@code logEndOffset} are merged.
     */
    public ReconcileConfig forReplay(String replayId, Path replayStateDir, long logEndOffset) {
        String suffix = ".replay-" + replayId;
        Topics side = new Topics(topics.changes(), topics.converged() + suffix, topics.audit() + suffix,
                topics.dlq() + suffix, topics.log());
        return new ReconcileConfig(site, bootstrapServers, registryUrl, applicationId + "-replay-" + replayId, defaultPolicy,
                policyPrefixes, siteOrder, authority, side, false, 0, httpHost, replayStateDir, commitIntervalMs, 1, guards,
                replicationFactor, logEndOffset);
    }

    /** A copy with another state directory (tests, benchmarks). */
    public ReconcileConfig withStateDir(Path dir) {
        return new ReconcileConfig(site, bootstrapServers, registryUrl, applicationId, defaultPolicy, policyPrefixes,
                siteOrder, authority, topics, ingest, httpPort, httpHost, dir, commitIntervalMs, streamThreads, guards,
                replicationFactor, logEndOffset);
    }

    /** A copy that talks to other brokers and another registry (a replay run from a drill's JVM). */
    public ReconcileConfig withConnection(String bootstrap, String registry) {
        return new ReconcileConfig(site, bootstrap, registry, applicationId, defaultPolicy, policyPrefixes,
                siteOrder, authority, topics, ingest, httpPort, httpHost, stateDir, commitIntervalMs, streamThreads, guards,
                replicationFactor, logEndOffset);
    }

    private static void checkPolicy(String key, String id) {
        try {
            MergePolicy.byId(id, SiteOrder.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static String get(Map<String, String> props, String key, String dflt) {
        String v = props.get(key);
        return v == null ? dflt : v.trim();
    }

    private static String required(Map<String, String> props, String key) {
        String v = props.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is required: " + keys().get(key)[0]);
        }
        return v.trim();
    }

    private static String topic(Map<String, String> props, String key, String dflt) {
        String t = get(props, key, dflt);
        if (!t.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(key + ": '" + t + "' is not a legal Kafka topic name");
        }
        return t;
    }

    private static List<String> sites(Map<String, String> props, String key, String dflt) {
        List<String> out = new ArrayList<>();
        for (String raw : get(props, key, dflt).split(",")) {
            String s = raw.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!ALIAS.matcher(s).matches()) {
                throw new IllegalArgumentException(key + ": '" + s + "' is not a site alias");
            }
            if (out.contains(s)) {
                throw new IllegalArgumentException(key + ": site '" + s + "' is listed twice");
            }
            out.add(s);
        }
        return out;
    }

    private static int intIn(Map<String, String> props, String key, String dflt, int min, int max) {
        String v = get(props, key, dflt);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number in [" + min + ", " + max + "]");
        }
    }
}
