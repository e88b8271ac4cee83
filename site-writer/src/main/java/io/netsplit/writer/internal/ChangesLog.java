package io.netsplit.writer.internal;

import io.netsplit.schemas.Topic;
import org.apache.kafka.common.serialization.Deserializer;
import io.netsplit.schemas.Topics;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.writer.SiteWriterConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the writer's own {@code changes} topic back, from where the previous read stopped, so that a (re)started
 * writer knows what it minted before:
 *
 * <ul>
 *   <li>read_uncommitted: the highest dot counter of this site present in the log at all, aborted transactions
 *       included. The counter restarts above it, so no dot that ever reached the log, even in an aborted or
 *       in-doubt transaction that a read_uncommitted mirror might have copied, is minted again;</li>
 *   <li>read_committed: every committed event, handed to a sink that rebuilds the per-key history (vector,
 *       version, unconfirmed writes), the idempotency window and the HLC.</li>
 * </ul>
 *
 * Called only after the writer's transactional producer has been initialised, which fences any older producer with
 * the same transactional.id and completes or aborts its open transaction: nothing of ours can appear in the log
 * behind our back afterwards. Confined to the minting thread.
 */
final class ChangesLog {

    private static final Logger log = LoggerFactory.getLogger(ChangesLog.class);

    /** Header on each changes record: the HTTP status the write was answered with (201 created, 200 updated). */
    static final String STATUS_HEADER = "netsplit.writer.status";
    /**
     * Header on each changes record: its dot, {@code site:counter} in ASCII. The counter floor is read from it
     * without the schema registry, so a writer that restarts while the registry is down (or after it lost its
     * schemas) still never mints a dot that already reached the log.
     */
    static final String DOT_HEADER = "netsplit.writer.dot";

    /**
     * Header on the changes record of a write made with an Idempotency-Key: the request's fingerprint
     * ({@link WriteCommand#fingerprint()}), so a reused key with another request is refused also after a restart.
     */
    static final String REQUEST_HEADER = "netsplit.writer.request";

    /** Receives each committed event of the log with the status it was acknowledged with and its fingerprint. */
    interface Sink {
        void committed(ChangeEvent event, int status, String fingerprint);
    }

    private final SiteWriterConfig config;
    private final Topic<String, ChangeEvent> changes;
    private final Deserializer<ChangeEvent> deserializer;
    private final Map<TopicPartition, Long> committedPositions = new HashMap<>();
    private final Map<TopicPartition, Long> uncommittedPositions = new HashMap<>();
    private long maxOwnCounter;
    private long unreadable;

    ChangesLog(SiteWriterConfig config) {
        this.config = config;
        this.changes = Topics.changes(config.changesTopic(), KafkaClients.serde(config));
        this.deserializer = changes.valueSerde().deserializer();
    }

    /** Reads what was appended since the last call; returns the highest own counter present in the log. */
    long catchUp(Sink sink, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String site = config.site();
        read(false, uncommittedPositions, deadline, r -> {
            long fromHeader = ownCounter(r, site);
            if (fromHeader >= 0) {
                maxOwnCounter = Math.max(maxOwnCounter, fromHeader);
                return;
            }
            ChangeEvent e = decode(r);
            if (e != null && site.equals(e.getDot().getSite())) {
                maxOwnCounter = Math.max(maxOwnCounter, e.getDot().getCounter());
            }
        });
        read(true, committedPositions, deadline, r -> {
            ChangeEvent e = decode(r);
            if (e != null) {
                sink.committed(e, status(r), fingerprint(r));
            }
        });
        return maxOwnCounter;
    }

    long unreadable() {
        return unreadable;
    }

    private void read(boolean readCommitted, Map<TopicPartition, Long> positions, long deadline,
                      java.util.function.Consumer<ConsumerRecord<String, byte[]>> handler) {
        String topic = config.changesTopic();
        String purpose = readCommitted ? "recovery-committed" : "recovery-all";
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(config, purpose, readCommitted))) {
            List<PartitionInfo> infos = c.partitionsFor(topic, remaining(deadline));
            if (infos == null || infos.isEmpty()) {
                throw new TimeoutException("topic " + topic + " has no partitions");
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            for (TopicPartition tp : parts) {
                Long pos = positions.get(tp);
                if (pos == null) {
                    c.seekToBeginning(List.of(tp));
                } else {
                    c.seek(tp, pos);
                }
            }
            // read_committed: the last stable offset; nothing of ours is open after initTransactions
            Map<TopicPartition, Long> end = c.endOffsets(parts, remaining(deadline));
            long records = 0;
            while (parts.stream().anyMatch(tp -> c.position(tp, remaining(deadline)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " back did not finish in time");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    handler.accept(r);
                    records++;
                }
            }
            for (TopicPartition tp : parts) {
                positions.put(tp, c.position(tp, remaining(deadline)));
            }
            log.info("read {} records of {} back ({})", records, topic, readCommitted ? "committed" : "all");
        }
    }

    private ChangeEvent decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return deserializer.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            if (UnreadYet.isRegistryFailure(e)) {
                throw new UnreadYet(r, e); // the position does not advance past it: read() records positions at the end
            }
            unreadable++;
            log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    /** The counter of a record's dot header when the dot is {@code site}'s; -1 when there is none (older records). */
    static long ownCounter(ConsumerRecord<String, byte[]> r, String site) {
        Header h = r.headers().lastHeader(DOT_HEADER);
        if (h == null) {
            return -1;
        }
        String dot = new String(h.value(), StandardCharsets.US_ASCII);
        int colon = dot.lastIndexOf(':');
        if (colon <= 0 || !dot.substring(0, colon).equals(site)) {
            return -1;
        }
        try {
            return Long.parseLong(dot.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The header a record of {@code dot} carries. */
    static Header dotHeader(String site, long counter) {
        return new org.apache.kafka.common.header.internals.RecordHeader(DOT_HEADER,
                (site + ":" + counter).getBytes(StandardCharsets.US_ASCII));
    }

    private static String fingerprint(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(REQUEST_HEADER);
        return h == null ? null : new String(h.value(), StandardCharsets.US_ASCII);
    }

    private static int status(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(STATUS_HEADER);
        if (h == null) {
            return 200;
        }
        try {
            return Integer.parseInt(new String(h.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 200;
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    void close() {
        changes.close();
    }
}
