package io.netsplit.health;

import io.netsplit.kit.CommonKeys;
import io.netsplit.kit.TopicName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the health checker. Every key is defined once here with its doc and default (the common ones,
 * {@code http.*} and {@code topic.*}, in {@link CommonKeys}); a bad value, or an unknown {@code health.*} key, fails at
 * start-up with a message naming the key. The old names ({@code health.http.*}, {@code health.status.topic},
 * {@code health.converged.topic}) are accepted as deprecated aliases. The checker takes its sites and their
 * bootstrap servers from its descriptor, not from {@code site} or {@code bootstrap.servers}.
 */
public final class HealthConfig extends AbstractConfig {

    public static final String PREFIX = "health.";

    public static final String NAME = "health.name";
    private static final String NAME_DOC = "Name of this checker: the key of its status-change records and the "
            + "'checker' of its events, so several checkers can share a topic.";
    private static final String NAME_DEFAULT = "netsplit-health";

    public static final String DESCRIPTOR = "health.descriptor";
    private static final String DESCRIPTOR_DOC = "lab.json (or a directory holding it) naming the sites, their "
            + "bootstrap servers and reconciler URLs, the registry, the links and the link health endpoint. "
            + "External sites are described in the same format.";

    public static final String INTERVAL_MS = "health.interval.ms";
    private static final String INTERVAL_MS_DOC = "Time between two checks. At least " + HealthConfig.MIN_INTERVAL_MS
            + " ms: probes through a blackholed link take up to the probe timeout, and faster checks only add load.";
    private static final long INTERVAL_MS_DEFAULT = 2000;
    /** The smallest accepted {@link #INTERVAL_MS}. */
    public static final long MIN_INTERVAL_MS = 250;

    public static final String PROBE_TIMEOUT_MS = "health.probe.timeout.ms";
    private static final String PROBE_TIMEOUT_MS_DOC = "How long one probe (a Kafka round trip to a broker or "
            + "through a link, an HTTP request to a reconciler) may take before it counts as failed.";
    private static final long PROBE_TIMEOUT_MS_DEFAULT = 2000;

    public static final String FAILURE_THRESHOLD = "health.failure.threshold";
    private static final String FAILURE_THRESHOLD_DOC = "Consecutive failed probes before a site or link is declared "
            + "down, and consecutive slow probes before it is declared slow: one bad probe never flips the status.";
    private static final int FAILURE_THRESHOLD_DEFAULT = 3;

    public static final String RECOVERY_THRESHOLD = "health.recovery.threshold";
    private static final String RECOVERY_THRESHOLD_DOC = "Consecutive good probes before a down site or link is "
            + "declared up again.";
    private static final int RECOVERY_THRESHOLD_DEFAULT = 2;

    public static final String SLOW_PROBE_MS = "health.slow.probe.ms";
    private static final String SLOW_PROBE_MS_DOC = "A probe round trip above this is slow; a link or broker slow "
            + "for health.failure.threshold probes in a row makes the status degraded.";
    private static final long SLOW_PROBE_MS_DEFAULT = 100;

    public static final String LAG_RECORDS = "health.lag.records";
    private static final String LAG_RECORDS_DOC = "Mirror lag (per link) or reconciler input lag (per site) above "
            + "this many records makes the status degraded.";
    private static final long LAG_RECORDS_DEFAULT = 1000;

    public static final String LAG_MS = "health.lag.ms";
    private static final String LAG_MS_DOC = "A link whose oldest unreplicated record is older than this makes the "
            + "status degraded.";
    private static final long LAG_MS_DEFAULT = 10_000;

    public static final String FLAP_COUNT = "health.flap.count";
    private static final String FLAP_COUNT_DOC = "A link or site whose down/up changes within health.flap.window.ms "
            + "reach this many is flapping (degraded) even while up. The default, 6, is three cuts and heals: two "
            + "separate partitions are not flapping.";
    private static final int FLAP_COUNT_DEFAULT = 6;

    public static final String FLAP_WINDOW_MS = "health.flap.window.ms";
    private static final String FLAP_WINDOW_MS_DOC = "The window in which down/up changes count towards flapping.";
    private static final long FLAP_WINDOW_MS_DEFAULT = 120_000;

    public static final String DIVERGENCE_CONFIRMATIONS = "health.divergence.confirmations";
    private static final String DIVERGENCE_CONFIRMATIONS_DOC = "Consecutive checks that must find the same "
            + "difference between sites, each with every link up and every queue drained, before the status is "
            + "diverged. Differences that change between checks are events in flight, not divergence.";
    private static final int DIVERGENCE_CONFIRMATIONS_DEFAULT = 3;

    public static final String WEBHOOK_URLS = "health.webhook.urls";
    private static final String WEBHOOK_URLS_DOC = "Comma-separated http(s) URLs that get every status change as a "
            + "JSON POST. Each URL gets the events in order, retried with backoff; the checker never waits for them.";

    public static final String WEBHOOK_TIMEOUT_MS = "health.webhook.timeout.ms";
    private static final String WEBHOOK_TIMEOUT_MS_DOC = "Timeout of one webhook POST.";
    private static final long WEBHOOK_TIMEOUT_MS_DEFAULT = 5000;

    public static final String WEBHOOK_BACKOFF_MS = "health.webhook.backoff.ms";
    private static final String WEBHOOK_BACKOFF_MS_DOC = "Wait before the first retry of a failed webhook POST; "
            + "doubled after each failure up to health.webhook.backoff.max.ms.";
    private static final long WEBHOOK_BACKOFF_MS_DEFAULT = 250;

    public static final String WEBHOOK_BACKOFF_MAX_MS = "health.webhook.backoff.max.ms";
    private static final String WEBHOOK_BACKOFF_MAX_MS_DOC = "Longest wait between two webhook retries.";
    private static final long WEBHOOK_BACKOFF_MAX_MS_DEFAULT = 30_000;

    public static final String WEBHOOK_MAX_ATTEMPTS = "health.webhook.max.attempts";
    private static final String WEBHOOK_MAX_ATTEMPTS_DOC = "Attempts per event and URL before the event is given "
            + "up for that URL (logged as an error and counted; the status topic still has it).";
    private static final int WEBHOOK_MAX_ATTEMPTS_DEFAULT = 20;

    /** Topic, created on every site with one partition, that gets every status change; empty disables it. */
    public static final String STATUS_TOPIC = TopicName.HEALTH_STATUS.key();
    public static final String STATUS_TOPIC_DEFAULT = TopicName.HEALTH_STATUS.defaultName();

    public static final String STATUS_VALID_MS = "health.status.valid.ms";
    private static final String STATUS_VALID_MS_DOC = "How long a status event on the status topic stands: every event "
            + "says so (validForMs), and while the status lasts the checker publishes it again as a heartbeat every third "
            + "of this time, so a site-writer stops trusting the status of a checker that died. 0: events never expire.";
    public static final long STATUS_VALID_MS_DEFAULT = 30_000;

    /** The compacted converged topic the checker reads at every site to compare what users read. */
    public static final String CONVERGED_TOPIC = TopicName.CONVERGED.key();

    public static final String HTTP_HOST = CommonKeys.HTTP_HOST;
    public static final String HTTP_PORT = CommonKeys.HTTP_PORT;
    private static final int HTTP_PORT_DEFAULT = 0;

    /** The names this service used before the common keys, each mapped to its new name (accepted, with a warning). */
    static final Map<String, String> DEPRECATED = Map.of("health.status.topic", STATUS_TOPIC,
            "health.converged.topic", CONVERGED_TOPIC, "health.http.host", HTTP_HOST, "health.http.port", HTTP_PORT);

    private static final ConfigDef CONFIG = CommonKeys.define(new ConfigDef()).http(HTTP_PORT_DEFAULT)
            .topic(TopicName.CONVERGED).topic(TopicName.HEALTH_STATUS, true).configDef()
            .define(NAME, Type.STRING, NAME_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM, NAME_DOC)
            .define(DESCRIPTOR, Type.STRING, "", Importance.HIGH, DESCRIPTOR_DOC)
            .define(INTERVAL_MS, Type.LONG, INTERVAL_MS_DEFAULT, Range.atLeast(MIN_INTERVAL_MS), Importance.HIGH, INTERVAL_MS_DOC)
            .define(PROBE_TIMEOUT_MS, Type.LONG, PROBE_TIMEOUT_MS_DEFAULT, Range.between(50, 60_000), Importance.MEDIUM,
                    PROBE_TIMEOUT_MS_DOC)
            .define(FAILURE_THRESHOLD, Type.INT, FAILURE_THRESHOLD_DEFAULT, Range.between(1, 100), Importance.MEDIUM,
                    FAILURE_THRESHOLD_DOC)
            .define(RECOVERY_THRESHOLD, Type.INT, RECOVERY_THRESHOLD_DEFAULT, Range.between(1, 100), Importance.MEDIUM,
                    RECOVERY_THRESHOLD_DOC)
            .define(SLOW_PROBE_MS, Type.LONG, SLOW_PROBE_MS_DEFAULT, Range.atLeast(1), Importance.MEDIUM, SLOW_PROBE_MS_DOC)
            .define(LAG_RECORDS, Type.LONG, LAG_RECORDS_DEFAULT, Range.atLeast(0), Importance.MEDIUM, LAG_RECORDS_DOC)
            .define(LAG_MS, Type.LONG, LAG_MS_DEFAULT, Range.atLeast(0), Importance.MEDIUM, LAG_MS_DOC)
            .define(FLAP_COUNT, Type.INT, FLAP_COUNT_DEFAULT, Range.between(2, 1000), Importance.LOW, FLAP_COUNT_DOC)
            .define(FLAP_WINDOW_MS, Type.LONG, FLAP_WINDOW_MS_DEFAULT, Range.atLeast(1000), Importance.LOW, FLAP_WINDOW_MS_DOC)
            .define(DIVERGENCE_CONFIRMATIONS, Type.INT, DIVERGENCE_CONFIRMATIONS_DEFAULT, Range.between(1, 100),
                    Importance.MEDIUM, DIVERGENCE_CONFIRMATIONS_DOC)
            .define(WEBHOOK_URLS, Type.LIST, "", HealthConfig::validateUrls, Importance.MEDIUM, WEBHOOK_URLS_DOC)
            .define(WEBHOOK_TIMEOUT_MS, Type.LONG, WEBHOOK_TIMEOUT_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    WEBHOOK_TIMEOUT_MS_DOC)
            .define(WEBHOOK_BACKOFF_MS, Type.LONG, WEBHOOK_BACKOFF_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    WEBHOOK_BACKOFF_MS_DOC)
            .define(WEBHOOK_BACKOFF_MAX_MS, Type.LONG, WEBHOOK_BACKOFF_MAX_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    WEBHOOK_BACKOFF_MAX_MS_DOC)
            .define(WEBHOOK_MAX_ATTEMPTS, Type.INT, WEBHOOK_MAX_ATTEMPTS_DEFAULT, Range.between(1, 10_000), Importance.LOW,
                    WEBHOOK_MAX_ATTEMPTS_DOC)
            .define(STATUS_VALID_MS, Type.LONG, STATUS_VALID_MS_DEFAULT, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    STATUS_VALID_MS_DOC);

    /** Parses and validates {@code props}; a bad value or an unknown {@code health.} key names the key. */
    public HealthConfig(Map<String, ?> settings) {
        this(CommonKeys.renameDeprecated(settings, DEPRECATED), true);
    }

    private HealthConfig(Map<String, ?> props, boolean renamed) {
        super(CONFIG, props, false);
        for (String key : props.keySet()) {
            if (key.startsWith(PREFIX) && !CONFIG.names().contains(key)) {
                throw new ConfigException("unknown key '" + key + "'; known health keys: " + new java.util.TreeSet<>(CONFIG.names()));
            }
        }
        if (getLong(WEBHOOK_BACKOFF_MAX_MS) < getLong(WEBHOOK_BACKOFF_MS)) {
            throw new ConfigException(WEBHOOK_BACKOFF_MAX_MS, getLong(WEBHOOK_BACKOFF_MAX_MS),
                    "must be at least " + WEBHOOK_BACKOFF_MS + " (" + getLong(WEBHOOK_BACKOFF_MS) + ")");
        }
    }

    /** The defaults, plus {@code overrides}. */
    public static HealthConfig of(Map<String, ?> overrides) {
        return new HealthConfig(new HashMap<>(overrides));
    }

    /** Every key with its doc and default. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    private static void validateUrls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        for (String u : urls) {
            if (!(u.startsWith("http://") || u.startsWith("https://"))) {
                throw new ConfigException(name, u, "not an http(s) URL");
            }
            try {
                java.net.URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, u, "not a URL: " + e.getMessage());
            }
        }
    }

    public String name() {
        return getString(NAME);
    }

    public String descriptor() {
        return getString(DESCRIPTOR);
    }

    public Duration interval() {
        return Duration.ofMillis(getLong(INTERVAL_MS));
    }

    public int probeTimeoutMs() {
        return (int) (long) getLong(PROBE_TIMEOUT_MS);
    }

    public int failureThreshold() {
        return getInt(FAILURE_THRESHOLD);
    }

    public int recoveryThreshold() {
        return getInt(RECOVERY_THRESHOLD);
    }

    public long slowProbeMs() {
        return getLong(SLOW_PROBE_MS);
    }

    public long lagRecords() {
        return getLong(LAG_RECORDS);
    }

    public long lagMs() {
        return getLong(LAG_MS);
    }

    public int flapCount() {
        return getInt(FLAP_COUNT);
    }

    public long flapWindowMs() {
        return getLong(FLAP_WINDOW_MS);
    }

    public int divergenceConfirmations() {
        return getInt(DIVERGENCE_CONFIRMATIONS);
    }

    public List<String> webhookUrls() {
        return getList(WEBHOOK_URLS);
    }

    public Duration webhookTimeout() {
        return Duration.ofMillis(getLong(WEBHOOK_TIMEOUT_MS));
    }

    public long webhookBackoffMs() {
        return getLong(WEBHOOK_BACKOFF_MS);
    }

    public long webhookBackoffMaxMs() {
        return getLong(WEBHOOK_BACKOFF_MAX_MS);
    }

    public int webhookMaxAttempts() {
        return getInt(WEBHOOK_MAX_ATTEMPTS);
    }

    /** The status topic, or empty when publishing to a topic is disabled. */
    public String statusTopic() {
        return getString(STATUS_TOPIC);
    }

    /** How long a published status event stands, or 0 when events never expire. */
    public long statusValidMs() {
        return getLong(STATUS_VALID_MS);
    }

    public String convergedTopic() {
        return getString(CONVERGED_TOPIC);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /**
     * The longest a partition can take to show: the failure threshold's checks, each one interval after the last
     * ended, and each as long as a probe's timeout when the link is silent (a blackhole answers nothing).
     */
    public Duration detectionTime() {
        return interval().plusMillis(probeTimeoutMs()).multipliedBy(failureThreshold());
    }
}
