package io.netsplit.audit.internal;

import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.RepairReport;
import io.netsplit.audit.SiteRepair;
import io.netsplit.audit.store.AuditStore;
import io.netsplit.audit.store.SequenceRange;
import io.netsplit.audit.store.SiteAudit;
import io.netsplit.audit.store.StoredDecision;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Restores missing audit records by re-reading the audit topic. Every stored row remembers the
 * partition and offset it came from, so for a missing range [a, b] of a deciding site the records
 * lie, in each partition, after the stored record with the highest sequence below a and before the
 * stored record with the lowest sequence above b (one reconciler writes a site's records in sequence
 * order). Only that window is read, with a group-less read_committed consumer; what is found is
 * stored like any record (idempotently), and the ranges the topic no longer holds are reported.
 */
public final class AuditRepairer {

    private static final Logger log = LoggerFactory.getLogger(AuditRepairer.class);
    private static final Duration MAX_REPAIR_TIME = Duration.ofMinutes(5);

    private final AuditSinkConfig config;
    private final AuditStore store;
    private final AuditDecoder decoder;
    private final SinkMetrics metrics;

    public AuditRepairer(AuditSinkConfig config, AuditStore store, AuditDecoder decoder, SinkMetrics metrics) {
        this.config = config;
        this.store = store;
        this.decoder = decoder;
        this.metrics = metrics;
    }

    /** Repairs the gaps of {@code decidingSite}, or of every deciding site if null. One repair at a time. */
    public synchronized RepairReport repair(String decidingSite) {
        List<SiteAudit> gapped = store.audit(decidingSite).stream().filter(a -> !a.complete()).toList();
        if (gapped.isEmpty()) {
            return new RepairReport(config.site(), config.topic(), 0, List.of());
        }
        Map<String, List<SequenceRange>> missing = new TreeMap<>();
        gapped.forEach(a -> missing.put(a.decidingSite(), a.missing()));
        Map<String, TreeSet<Long>> restored = new TreeMap<>();
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                AuditConsumer.consumerProperties(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(config.topic(), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, long[]> windows = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long lo = Long.MAX_VALUE;
                long hi = Long.MIN_VALUE;
                for (Map.Entry<String, List<SequenceRange>> e : missing.entrySet()) {
                    for (SequenceRange r : e.getValue()) {
                        long from = store.lastOffsetBefore(e.getKey(), r.from(), tp.topic(), tp.partition())
                                .stream().map(o -> o + 1).findFirst().orElse(begin.get(tp));
                        long to = store.firstOffsetAfter(e.getKey(), r.to(), tp.topic(), tp.partition())
                                .orElse(end.get(tp));
                        lo = Math.min(lo, Math.max(from, begin.get(tp)));
                        hi = Math.max(hi, Math.min(to, end.get(tp)));
                    }
                }
                if (lo < hi) {
                    windows.put(tp, new long[] {lo, hi});
                }
            }
            log.info("repairing audit of {} at site {}: reading {} windows {}", missing.keySet(), config.site(),
                    windows.size(), describe(windows));
            consumer.assign(windows.keySet());
            windows.forEach((tp, w) -> consumer.seek(tp, w[0]));
            long deadline = System.nanoTime() + MAX_REPAIR_TIME.toNanos();
            while (!windows.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("repair did not finish reading " + config.topic() + " within "
                            + MAX_REPAIR_TIME.toMinutes() + " minutes");
                }
                List<ConsumerRecord<String, byte[]>> wanted = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    long[] w = windows.get(new TopicPartition(r.topic(), r.partition()));
                    if (w != null && r.offset() < w[1]) {
                        wanted.add(r);
                        read++;
                    }
                }
                List<StoredDecision> toStore = new ArrayList<>();
                for (StoredDecision d : decoder.decode(wanted).decisions()) {
                    List<SequenceRange> ranges = missing.get(d.decidingSite());
                    if (ranges != null && ranges.stream().anyMatch(r -> r.contains(d.sequence()))) {
                        toStore.add(d);
                    }
                }
                if (!toStore.isEmpty()) {
                    store.store(toStore);
                    for (StoredDecision d : toStore) {
                        restored.computeIfAbsent(d.decidingSite(), k -> new TreeSet<>()).add(d.sequence());
                    }
                }
                windows.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue()[1]);
                consumer.assign(windows.keySet());
            }
        }
        List<SiteRepair> sites = new ArrayList<>();
        for (SiteAudit before : gapped) {
            TreeSet<Long> seqs = restored.getOrDefault(before.decidingSite(), new TreeSet<>());
            List<SequenceRange> still = store.audit(before.decidingSite()).stream()
                    .flatMap(a -> a.missing().stream()).toList();
            metrics.restored.increment(seqs.size());
            sites.add(new SiteRepair(before.decidingSite(), before.missing(), seqs.size(), ranges(seqs), still));
        }
        RepairReport report = new RepairReport(config.site(), config.topic(), read, sites);
        log.info("audit repair at site {} done: read {} records, restored {}", config.site(), read,
                restored.values().stream().mapToInt(TreeSet::size).sum());
        return report;
    }

    /** Compresses sorted sequence numbers into ranges. */
    static List<SequenceRange> ranges(TreeSet<Long> seqs) {
        List<SequenceRange> out = new ArrayList<>();
        Long start = null;
        Long prev = null;
        for (long s : seqs) {
            if (start == null) {
                start = s;
            } else if (s != prev + 1) {
                out.add(new SequenceRange(start, prev));
                start = s;
            }
            prev = s;
        }
        if (start != null) {
            out.add(new SequenceRange(start, prev));
        }
        return out;
    }

    private static String describe(Map<TopicPartition, long[]> windows) {
        StringBuilder b = new StringBuilder();
        windows.forEach((tp, w) -> b.append(tp).append('[').append(w[0]).append(',').append(w[1]).append(") "));
        return b.toString().strip();
    }
}
