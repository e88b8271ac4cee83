package io.netsplit.writer.internal;

import io.netsplit.schemas.Topic;
import org.apache.kafka.common.serialization.Deserializer;
import io.netsplit.schemas.Topics;
import io.netsplit.kit.Backoff;
import io.netsplit.kit.CompactedTopicFollower;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.writer.SiteWriterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's converged view, held in memory: the kit's {@link CompactedTopicFollower} reads the compacted
 * {@code converged} topic (read_committed) from the beginning and keeps following it. GET answers from it, and
 * minting starts from it. "The writer has seen a write" means: the write is in this table.
 *
 * <p>A record whose schema the registry cannot give yet ({@link UnreadYet#isRegistryFailure}) is never skipped: the
 * follower stays before it and reads it again every second, and the view is not loaded (the writer not ready) until
 * every record could be read. Other unreadable records are skipped and counted.
 */
public final class ConvergedTable implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConvergedTable.class);
    /** The pause before a record the registry could not give yet is read again, and before reopening. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final SiteWriterConfig config;
    private final AtomicLong unreadable = new AtomicLong();
    private final Map<String, Long> maxCounters = new ConcurrentHashMap<>();
    private final Topic<String, ConvergedRecord> converged;
    private final Deserializer<ConvergedRecord> deserializer;
    private final CompactedTopicFollower<ConvergedRecord> follower;

    public ConvergedTable(SiteWriterConfig config) {
        this.config = config;
        this.converged = Topics.converged(config.convergedTopic(), KafkaClients.serde(config));
        this.deserializer = converged.valueSerde().deserializer();
        this.follower = CompactedTopicFollower
                .<ConvergedRecord>builder(config.convergedTopic(), (key, value) -> deserializer.deserialize(
                        config.convergedTopic(), value))
                .consumerConfig(KafkaClients.consumer(config, "converged", true))
                .metadataTimeout(Duration.ofMillis(Math.max(5_000, config.kafkaTimeout().toMillis())))
                .retryWhen(UnreadYet::isRegistryFailure, Backoff.fixed(RETRY))
                .reopenPause(RETRY)
                .missingTopicPause(RETRY)
                .listener(new CompactedTopicFollower.Listener<>() {
                    @Override
                    public void changed(String key, ConvergedRecord previous, ConvergedRecord current) {
                        if (current != null) {
                            current.getVersionVector().forEach((site, counter) -> maxCounters.merge(site, counter,
                                    Math::max));
                        }
                    }

                    @Override
                    public void unreadable(ConsumerRecord<String, byte[]> r, RuntimeException problem,
                                           boolean retrying) {
                        if (retrying) {
                            return; // the follower logs it, and reads it again
                        }
                        unreadable.incrementAndGet();
                        if (r.key() != null) {
                            log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                    problem.getMessage());
                        }
                    }
                })
                .threadName("converged-reader-" + config.site())
                .build();
    }

    public void start() {
        follower.start();
    }

    /** Waits until the records present at start have been read; false on timeout. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return follower.awaitReady(timeout);
    }

    public boolean isLoaded() {
        return follower.isReady();
    }

    /** The converged record of a key, or null if the site has none (or a tombstone). */
    public ConvergedRecord get(String key) {
        return follower.get(key);
    }

    public int size() {
        return follower.size();
    }

    /**
     * The highest counter of {@code site} in any vector this table has read (tombstoned keys included): a floor for
     * the site's dot counter that survives even the loss of the site's own changes topic.
     */
    public long maxCounter(String site) {
        return maxCounters.getOrDefault(site, 0L);
    }

    /** Records of the topic that could not be deserialized and were skipped. */
    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        follower.close();
        converged.close();
    }
}
