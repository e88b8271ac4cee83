package io.netsplit.health.internal;

import io.netsplit.health.Observation.DlqView;
import io.netsplit.kit.TopicName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Counts one site's dead letters from the offsets of its {@code changes.dlq} and {@code changes.redrive} (committed
 * records: end minus start offset, read_committed), without reading a record. A missing topic counts 0. The first
 * successful count is the baseline "at start". Used by the checker's thread only.
 */
public final class DeadLetterCounter implements AutoCloseable {

    private final Admin admin;
    private final long timeoutMs;
    private Long atStart;
    private DlqView last;

    public DeadLetterCounter(String bootstrap, long timeoutMs) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeoutMs),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeoutMs)));
        this.timeoutMs = timeoutMs;
    }

    /** The counts now, or the last ones with the error that kept this reading from succeeding. */
    public DlqView count() {
        try {
            long records = records(TopicName.DLQ.defaultName());
            long redriven = records(TopicName.REDRIVE.defaultName());
            if (atStart == null) {
                atStart = records;
            }
            last = new DlqView(records, redriven, atStart, null);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String error = e.getCause() != null ? e.getCause().toString() : e.toString();
            last = last == null ? new DlqView(0, 0, 0, error) : new DlqView(last.records(), last.redriven(), last.recordsAtStart(), error);
        }
        return last;
    }

    private long records(String topic) throws Exception {
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartitionInfo p : described.get(topic).partitions()) {
            latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
        }
        ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var ends = admin.listOffsets(latest, committed).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        var starts = admin.listOffsets(earliest, committed).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        long n = 0;
        for (TopicPartition tp : latest.keySet()) {
            n += Math.max(0, ends.get(tp).offset() - starts.get(tp).offset());
        }
        return n;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
