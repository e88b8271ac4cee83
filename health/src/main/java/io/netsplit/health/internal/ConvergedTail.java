package io.netsplit.health.internal;

import io.netsplit.schemas.Topics;
import io.netsplit.schemas.Topic;
import io.netsplit.health.Observation.TableView;
import io.netsplit.kit.CompactedTopicFollower;
import io.netsplit.reconcile.merge.TableDigest;
import io.netsplit.schemas.ConvergedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows one site's {@code converged} topic from its beginning, committed records only, without a
 * consumer group (the kit's {@link CompactedTopicFollower}), and keeps the newest record's entry digest per
 * key: the table users read, summed the way the reconciler sums its own ({@link TableDigest}). Notes when it
 * last stood at the topic's end, so a check can tell "the topic differs" from "the reader is behind".
 */
public final class ConvergedTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConvergedTail.class);
    /** How often the topic's end offsets are asked for again, for "caught up". */
    private static final Duration END_CHECK = Duration.ofMillis(300);

    private final Topic<String, ConvergedRecord> converged;
    private final CompactedTopicFollower<byte[]> follower;

    private TableDigest digest = TableDigest.empty();
    private String error;
    private long unreadable;

    public ConvergedTail(String site, String bootstrap, String registryUrl, String topic, int requestTimeoutMs) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "netsplit-health-converged-" + site);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(requestTimeoutMs, 1000));
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(requestTimeoutMs, 1000));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.converged = Topics.converged(topic, Topics.registry(registryUrl));
        this.follower = CompactedTopicFollower
                .<byte[]>builder(topic, (key, value) -> ConvergedDigests.entry(converged.valueSerde().deserializer().deserialize(topic,
                        value)))
                // created again after a failure: a site whose name does not resolve yet (a container still
                // starting) must not stop the checker
                .consumerConfig(p)
                .endCheckInterval(END_CHECK)
                .reopenPause(Duration.ofMillis(500))
                .missingTopicPause(Duration.ofSeconds(1))
                .listener(new CompactedTopicFollower.Listener<>() {
                    @Override
                    public void changed(String key, byte[] previous, byte[] current) {
                        synchronized (ConvergedTail.this) {
                            if (previous != null) {
                                digest = digest.minus(previous);
                            }
                            if (current != null) {
                                digest = digest.plus(current);
                            }
                        }
                    }

                    @Override
                    public void polled(boolean caughtUp) {
                        synchronized (ConvergedTail.this) {
                            error = null;
                        }
                    }

                    @Override
                    public void unreadable(ConsumerRecord<String, byte[]> r, RuntimeException problem,
                                           boolean retrying) {
                        if (r.key() == null) {
                            return; // nothing to keep or forget
                        }
                        synchronized (ConvergedTail.this) {
                            unreadable++;
                        }
                        log.warn("converged record at {} {}-{}@{} unreadable, skipped: {}", site, r.topic(),
                                r.partition(), r.offset(), problem.getMessage());
                    }

                    @Override
                    public void failed(RuntimeException problem) {
                        synchronized (ConvergedTail.this) {
                            error = problem.getClass().getSimpleName() + ": " + problem.getMessage();
                        }
                    }
                })
                .threadName("health-converged-" + site)
                .build();
    }

    public void start() {
        follower.start();
    }

    /** The table as of now; caught up when the reader stood at the topic's end at or after {@code sinceMs}. */
    public synchronized TableView view(long sinceMs) {
        return new TableView(follower.caughtUpAtMs() >= sinceMs, digest.hex(), digest.count(),
                error != null ? error : (unreadable > 0 ? unreadable + " unreadable record(s) skipped" : null));
    }

    /** A copy of the newest entry digest per key. */
    public Map<String, byte[]> entries() {
        return follower.snapshot();
    }

    @Override
    public void close() {
        follower.close();
        converged.close();
    }
}
