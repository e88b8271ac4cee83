package io.netsplit.reconcile;

import io.netsplit.reconcile.merge.MergeConfig;
import io.netsplit.reconcile.merge.MergePolicy;
import io.netsplit.schemas.Limits;
import io.netsplit.reconcile.merge.SiteOrder;

import io.netsplit.kit.CommonKeys;
import io.netsplit.kit.SiteAlias;
import io.netsplit.kit.TopicName;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configuration of one site's reconciler. Each key is defined once with its doc and default
 * ({@code X} / {@code X_DOC} / {@code X_DEFAULT}, the common ones in {@link CommonKeys}), all of them in
 * {@link #configDef()}; {@link #parse(Map)} validates everything at start-up and names the bad key in a one-line
 * {@link IllegalArgumentException}. The old names ({@code reconcile.site}, {@code reconcile.topic.changes}, ...) are
 * accepted as deprecated aliases; {@code kafka.*} settings go to every Kafka client (Streams and admin).
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
        long unknownSchemaRetryMs,
        short replicationFactor,
        long gapCheckIntervalMs,
        boolean durabilityWarnOnly,
        long logEndOffset,
        Map<String, String> kafka) {

    public static final String SITE = CommonKeys.SITE;
    public static final String BOOTSTRAP_SERVERS = CommonKeys.BOOTSTRAP_SERVERS;
    public static final String REGISTRY_URL = CommonKeys.SCHEMA_REGISTRY_URL;
    public static final String HTTP_PORT = CommonKeys.HTTP_PORT;
    public static final String HTTP_PORT_DEFAULT = "0";
    public static final String HTTP_HOST = CommonKeys.HTTP_HOST;
    public static final String TOPIC_CHANGES = TopicName.CHANGES.key();
    public static final String TOPIC_CONVERGED = TopicName.CONVERGED.key();
    public static final String TOPIC_AUDIT = TopicName.AUDIT.key();
    public static final String TOPIC_DLQ = TopicName.DLQ.key();
    public static final String TOPIC_LOG = TopicName.LOG.key();
    public static final String TOPIC_REDRIVE = TopicName.REDRIVE.key();

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

    public static final String UNKNOWN_SCHEMA_RETRY_MS = "reconcile.unknown.schema.retry.ms";
    public static final String UNKNOWN_SCHEMA_RETRY_MS_DOC = "How long an event naming a schema id the registry does not know "
            + "(HTTP 404) is retried, with backoff (100 ms doubling to 1 s), before it is dead-lettered: a registry that has "
            + "not caught up yet. The merge of the whole site waits meanwhile (the ordered log is one partition, and no later "
            + "record is merged before it). 0 dead-letters at once. At most half the producer's transaction.timeout.ms "
            + "(Kafka Streams' 10000 ms unless kafka.producer.transaction.timeout.ms says otherwise), or the open "
            + "transaction would time out.";
    public static final String UNKNOWN_SCHEMA_RETRY_MS_DEFAULT = "4000";

    public static final String REPLICATION_FACTOR = "reconcile.replication.factor";
    public static final String REPLICATION_FACTOR_DOC = "Replication factor of the topics the reconciler creates; -1 (the default) uses min(3, brokers in the cluster), with min.insync.replicas=2 at 3 or more replicas.";
    public static final String REPLICATION_FACTOR_DEFAULT = "-1";

    public static final String GAP_CHECK_INTERVAL_MS = "reconcile.gap.check.interval.ms";
    public static final String GAP_CHECK_INTERVAL_MS_DOC = "How often the reconciler compares its committed offset in every input "
            + "partition with the partition's log start offset (also once at start-up, before it reads anything): a committed "
            + "offset below the log start is a gap, records deleted by retention before they were merged, reported on /status, "
            + "as reconcile_input_gap_offsets and in an ERROR line.";
    public static final String GAP_CHECK_INTERVAL_MS_DEFAULT = "30000";

    public static final String DURABILITY_CHECK = "reconcile.durability.check";
    public static final String DURABILITY_CHECK_DOC = "At start-up the reconciler describes the topics it acknowledges on (converged, "
            + "audit, the dead-letter topic and the ordered log): fewer than 3 replicas or min.insync.replicas below 2 means a "
            + "record it committed would not survive the loss of one broker. fail (the default) refuses to start with one line; "
            + "warn logs that line once and starts (the lab with fewer than 3 brokers per site).";
    public static final String DURABILITY_CHECK_DEFAULT = "fail";

    /** The transaction timeout Kafka Streams gives its producers under exactly-once unless configured. */
    static final int STREAMS_EOS_TRANSACTION_TIMEOUT_MS = 10_000;

    /** The names this service used before the common keys, each mapped to its new name (accepted, with a warning). */
    static final Map<String, String> DEPRECATED = deprecated();

    private static final ConfigDef CONFIG = configDefinition();

    /**
     * The size guards on input and state: key and event sizes, vector width (deterministic per event, so
     * every site refuses the same events), and the merge state of one key.
     */
    public record Guards(int maxKeyBytes, int maxEventBytes, int maxVectorSites, int maxStateBytes) {
    }

    /** Topic names of one run: the live ones, or a replay's side topics. */
    public record Topics(String changes, String converged, String audit, String dlq, String log, String redrive) {

        /**
         * {@code changes}, every {@code <alias>.changes} and the redrive topic; never {@code changes.dlq} or another
         * dotted name.
         */
        public Pattern inputPattern() {
            String quoted = Pattern.quote(changes);
            return Pattern.compile(quoted + "|" + SiteAlias.REGEX + "\\." + quoted + "|" + Pattern.quote(redrive));
        }
    }

    public ReconcileConfig {
        policyPrefixes = Map.copyOf(policyPrefixes);
        siteOrder = List.copyOf(siteOrder);
        authority = List.copyOf(authority);
        kafka = Map.copyOf(kafka);
    }

    /** Every key with its doc and default ("required" when none), for {@code --list-config} and the README. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    private static ConfigDef configDefinition() {
        ConfigDef def = CommonKeys.define(new ConfigDef()).site().bootstrapServers().schemaRegistryUrl()
                .http(Integer.parseInt(HTTP_PORT_DEFAULT)).topic(TopicName.CHANGES).topic(TopicName.CONVERGED)
                .topic(TopicName.AUDIT).topic(TopicName.DLQ).topic(TopicName.LOG).topic(TopicName.REDRIVE).configDef();
        // the reconciler's own keys: validated by parse(), which keeps its messages; the definition gives docs and defaults
        for (String[] key : new String[][] {
                {APPLICATION_ID, APPLICATION_ID_DOC, APPLICATION_ID_DEFAULT},
                {POLICY_DEFAULT, POLICY_DEFAULT_DOC, POLICY_DEFAULT_DEFAULT},
                {POLICY_PREFIXES, POLICY_PREFIXES_DOC, POLICY_PREFIXES_DEFAULT},
                {SITE_ORDER, SITE_ORDER_DOC, SITE_ORDER_DEFAULT},
                {AUTHORITY, AUTHORITY_DOC, AUTHORITY_DEFAULT},
                {STATE_DIR, STATE_DIR_DOC, STATE_DIR_DEFAULT},
                {COMMIT_INTERVAL_MS, COMMIT_INTERVAL_MS_DOC, COMMIT_INTERVAL_MS_DEFAULT},
                {STREAM_THREADS, STREAM_THREADS_DOC, STREAM_THREADS_DEFAULT},
                {MAX_KEY_BYTES, MAX_KEY_BYTES_DOC, MAX_KEY_BYTES_DEFAULT},
                {MAX_EVENT_BYTES, MAX_EVENT_BYTES_DOC, MAX_EVENT_BYTES_DEFAULT},
                {MAX_VECTOR_SITES, MAX_VECTOR_SITES_DOC, MAX_VECTOR_SITES_DEFAULT},
                {MAX_STATE_BYTES, MAX_STATE_BYTES_DOC, MAX_STATE_BYTES_DEFAULT},
                {UNKNOWN_SCHEMA_RETRY_MS, UNKNOWN_SCHEMA_RETRY_MS_DOC, UNKNOWN_SCHEMA_RETRY_MS_DEFAULT},
                {REPLICATION_FACTOR, REPLICATION_FACTOR_DOC, REPLICATION_FACTOR_DEFAULT},
                {GAP_CHECK_INTERVAL_MS, GAP_CHECK_INTERVAL_MS_DOC, GAP_CHECK_INTERVAL_MS_DEFAULT},
                {DURABILITY_CHECK, DURABILITY_CHECK_DOC, DURABILITY_CHECK_DEFAULT}}) {
            def.define(key[0], ConfigDef.Type.STRING, key[2], ConfigDef.Importance.MEDIUM, key[1]);
        }
        return def;
    }

    private static Map<String, String> deprecated() {
        Map<String, String> aliases = new LinkedHashMap<>(CommonKeys.prefixedAliases("reconcile."));
        aliases.remove("reconcile." + CommonKeys.KAFKA_PREFIX); // the reconciler had no pass-through before
        for (TopicName t : List.of(TopicName.CHANGES, TopicName.CONVERGED, TopicName.AUDIT, TopicName.DLQ, TopicName.LOG, TopicName.REDRIVE)) {
            aliases.put("reconcile." + t.key(), t.key());
        }
        return Map.copyOf(aliases);
    }

    /**
     * Parses and validates. Keys starting with {@code reconcile.} that are not known are rejected by
     * name; other keys are ignored (a lab passes every component's settings).
     *
     * @throws IllegalArgumentException naming the bad key
     */
    public static ReconcileConfig parse(Map<String, String> settings) {
        Map<String, String> props = new LinkedHashMap<>();
        CommonKeys.renameDeprecated(settings, DEPRECATED).forEach((k, v) -> props.put(k, String.valueOf(v)));
        for (String key : props.keySet()) {
            if (key.startsWith("reconcile.") && !CONFIG.names().contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + CONFIG.names());
            }
        }
        String site = required(props, SITE);
        if (!SiteAlias.isValid(site)) {
            throw new IllegalArgumentException(SITE + ": '" + site + "' is not a site alias (" + SiteAlias.RULE + ")");
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
        Topics topics = new Topics(topic(props, TopicName.CHANGES), topic(props, TopicName.CONVERGED),
                topic(props, TopicName.AUDIT), topic(props, TopicName.DLQ), topic(props, TopicName.LOG),
                topic(props, TopicName.REDRIVE));
        if (topics.redrive().equals(topics.changes())) {
            throw new IllegalArgumentException(TOPIC_REDRIVE + ": '" + topics.redrive() + "' is the site's own changes topic ("
                    + TOPIC_CHANGES + "); redriven events must never go there (the writer recovers from it, MirrorMaker 2 mirrors it)");
        }
        for (String out : List.of(topics.converged(), topics.audit(), topics.dlq(), topics.log())) {
            if (topics.inputPattern().matcher(out).matches()) {
                throw new IllegalArgumentException("topic '" + out + "' would match the input pattern " + topics.inputPattern()
                        + " (" + TOPIC_CHANGES + "); choose another name");
            }
        }
        int port = intIn(props, HTTP_PORT, HTTP_PORT_DEFAULT, 0, 65535);
        String host = get(props, HTTP_HOST, CommonKeys.HTTP_HOST_DEFAULT).trim();
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
        long unknownSchemaRetry = unknownSchemaRetryMs(props);
        int rf = intIn(props, REPLICATION_FACTOR, REPLICATION_FACTOR_DEFAULT, -1, 32);
        if (rf == 0) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + ": 0 is not a replication factor (-1 for min(3, brokers))");
        }
        long gapInterval = intIn(props, GAP_CHECK_INTERVAL_MS, GAP_CHECK_INTERVAL_MS_DEFAULT, 100, 3_600_000);
        String durability = get(props, DURABILITY_CHECK, DURABILITY_CHECK_DEFAULT);
        if (!durability.equals("fail") && !durability.equals("warn")) {
            throw new IllegalArgumentException(DURABILITY_CHECK + ": '" + durability + "' is neither fail nor warn");
        }
        ReconcileConfig config = new ReconcileConfig(site, bootstrap, registry, appId, policy, prefixes, order, authority,
                topics, true, port, host, Path.of(dir), commit, threads, guards, unknownSchemaRetry, (short) rf, gapInterval,
                durability.equals("warn"), Long.MAX_VALUE,
                kafka(props));
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
                topics.dlq() + suffix, topics.log(), topics.redrive());
        return new ReconcileConfig(site, bootstrapServers, registryUrl, applicationId + "-replay-" + replayId, defaultPolicy,
                policyPrefixes, siteOrder, authority, side, false, 0, httpHost, replayStateDir, commitIntervalMs, 1, guards,
                unknownSchemaRetryMs, replicationFactor, gapCheckIntervalMs, durabilityWarnOnly, logEndOffset, kafka);
    }

    /** A copy with another state directory (tests, benchmarks). */
    public ReconcileConfig withStateDir(Path dir) {
        return new ReconcileConfig(site, bootstrapServers, registryUrl, applicationId, defaultPolicy, policyPrefixes,
                siteOrder, authority, topics, ingest, httpPort, httpHost, dir, commitIntervalMs, streamThreads, guards,
                unknownSchemaRetryMs, replicationFactor, gapCheckIntervalMs, durabilityWarnOnly, logEndOffset, kafka);
    }

    /** A copy that talks to other brokers and another registry (a replay run from a drill's JVM). */
    public ReconcileConfig withConnection(String bootstrap, String registry) {
        return new ReconcileConfig(site, bootstrap, registry, applicationId, defaultPolicy, policyPrefixes,
                siteOrder, authority, topics, ingest, httpPort, httpHost, stateDir, commitIntervalMs, streamThreads, guards,
                unknownSchemaRetryMs, replicationFactor, gapCheckIntervalMs, durabilityWarnOnly, logEndOffset, kafka);
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
            throw new IllegalArgumentException(key + " is required: " + CONFIG.configKeys().get(key).documentation);
        }
        return v.trim();
    }

    private static String topic(Map<String, String> props, TopicName topic) {
        String t = get(props, topic.key(), topic.defaultName());
        if (!TopicName.isLegal(t)) {
            throw new IllegalArgumentException(topic.key() + ": '" + t + "' is not a legal Kafka topic name");
        }
        return t;
    }

    /** {@link #UNKNOWN_SCHEMA_RETRY_MS}, at most half the transaction timeout the stream thread's producer runs with. */
    private static long unknownSchemaRetryMs(Map<String, String> props) {
        String txKey = CommonKeys.KAFKA_PREFIX + "producer.transaction.timeout.ms";
        String plainKey = CommonKeys.KAFKA_PREFIX + "transaction.timeout.ms";
        String key = props.containsKey(txKey) ? txKey : props.containsKey(plainKey) ? plainKey : null;
        int txTimeout = key == null ? STREAMS_EOS_TRANSACTION_TIMEOUT_MS : intIn(props, key, "", 1, Integer.MAX_VALUE);
        int retry = intIn(props, UNKNOWN_SCHEMA_RETRY_MS, UNKNOWN_SCHEMA_RETRY_MS_DEFAULT, 0, Integer.MAX_VALUE);
        if (retry > txTimeout / 2) {
            throw new IllegalArgumentException(UNKNOWN_SCHEMA_RETRY_MS + ": " + retry + " ms is more than half the producer's "
                    + "transaction.timeout.ms (" + txTimeout + " ms); a longer wait would time out the open transaction");
        }
        return retry;
    }

    private static Map<String, String> kafka(Map<String, String> props) {
        Map<String, String> kafka = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(CommonKeys.KAFKA_PREFIX)) {
                kafka.put(k.substring(CommonKeys.KAFKA_PREFIX.length()), v);
            }
        });
        return kafka;
    }

    /** The properties of an admin client of this site: the {@code kafka.*} settings and the bootstrap servers. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> p = new LinkedHashMap<>(kafka);
        p.put(CommonKeys.BOOTSTRAP_SERVERS, bootstrapServers);
        return p;
    }

    private static List<String> sites(Map<String, String> props, String key, String dflt) {
        List<String> out = new ArrayList<>();
        for (String raw : get(props, key, dflt).split(",")) {
            String s = raw.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!SiteAlias.isValid(s)) {
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
