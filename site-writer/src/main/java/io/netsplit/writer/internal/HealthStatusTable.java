package io.netsplit.writer.internal;

import io.netsplit.kit.CompactedTopicFollower;
import io.netsplit.writer.SiteWriterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checkers' newest status per checker, followed from the {@code health.status} topic
 * ({@code writer.health.topic}) on the site's own cluster, and the {@link DivergenceGate} it makes: writes are refused
 * while a checker says this site is diverged. Started only with {@code writer.health.reject.when.diverged}.
 *
 * <p>The kit's {@link CompactedTopicFollower}, without a group: it assigns every partition, reads from the beginning
 * (the newest event per checker is the state) and keeps following, resuming where it stood after a reconnect. The
 * checker creates the topic; until it exists, it is looked for again every few seconds (never auto-created here, so
 * the checker's own settings win). The gate is made again after every poll, also one that brought nothing, so a
 * status whose validity ran out stops refusing writes without a new event. Fail-open: no topic, no event, or an
 * unreadable record admit writes (see the README, "Rejecting writes while diverged").
 */
public final class HealthStatusTable implements WriteAdmission, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthStatusTable.class);

    /** How often a missing topic is looked for again, and the pause before reopening after a failure. */
    static final Duration RECHECK = Duration.ofSeconds(3);

    private final SiteWriterConfig config;
    private final CompactedTopicFollower<HealthStatusEvent> follower;
    private volatile DivergenceGate gate;
    private volatile Optional<String> refusal = Optional.empty();
    private boolean reportedLoaded;

    public HealthStatusTable(SiteWriterConfig config) {
        this.config = config;
        this.gate = DivergenceGate.open(config.site());
        this.follower = CompactedTopicFollower
                .<HealthStatusEvent>builder(config.healthTopic(),
                        // events of other types are not kept (null), as the gate skips them
                        (key, value) -> HealthStatusEvent.parse(key, value).orElse(null))
                .consumerConfig(consumerProperties(config))
                .metadataTimeout(Duration.ofMillis(Math.max(5_000, config.kafkaTimeout().toMillis())))
                // a record without a key names its checker in its body
                .keyOf((key, event) -> event.checker())
                .readyWhenTopicMissing(true)
                .missingTopicPause(RECHECK)
                .reopenPause(RECHECK)
                .pollTimeout(Duration.ofMillis(500))
                .listener(new CompactedTopicFollower.Listener<>() {
                    @Override
                    public void polled(boolean caughtUp) {
                        publish(new DivergenceGate(config.site(), follower().snapshot()));
                    }

                    @Override
                    public void unreadable(ConsumerRecord<String, byte[]> r, RuntimeException problem,
                                           boolean retrying) {
                        if (r.value() != null) {
                            log.warn("ignoring unreadable health event {}-{}@{} (keeping the last good state): {}",
                                    r.topic(), r.partition(), r.offset(), problem.getMessage());
                        }
                    }
                })
                .threadName("health-status-reader-" + config.site())
                .build();
    }

    public void start() {
        follower.start();
    }

    private CompactedTopicFollower<HealthStatusEvent> follower() {
        return follower;
    }

    /**
     * Waits until the events present at start have been read, or the topic was found missing; false on timeout (the
     * writer then admits writes until it has read them: fail-open).
     */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return follower.awaitReady(timeout);
    }

    @Override
    public Optional<String> refusal() {
        return refusal;
    }

    /** The current gate: the newest event of each checker. */
    public DivergenceGate gate() {
        return gate;
    }

    /**
     * Installs the next gate and logs when the writer starts or stops refusing writes. Called after every poll, also
     * one that brought no event: a status whose validity ran out stops refusing writes without a new event.
     */
    private void publish(DivergenceGate next) {
        Optional<String> was = refusal;
        Optional<String> now = next.refusal();
        gate = next;
        refusal = now;
        if (!reportedLoaded && follower.isReady()) {
            reportedLoaded = true;
            log.info("health topic {} read: {}", config.healthTopic(),
                    now.map(r -> "rejecting writes: " + r).orElse("accepting writes"));
        }
        if (now.isPresent() && !now.equals(was)) {
            log.warn("rejecting writes: {}", now.get());
        } else if (now.isEmpty() && was.isPresent()) {
            log.info("accepting writes again: no health checker reports site {} diverged (or its status ran out)",
                    config.site());
        }
    }

    private static Map<String, Object> consumerProperties(SiteWriterConfig config) {
        Map<String, Object> p = KafkaClients.consumer(config, "health", false);
        // the checker creates its topic (one partition); a metadata lookup from here must not create it first
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return p;
    }

    @Override
    public void close() {
        follower.close();
    }
}
