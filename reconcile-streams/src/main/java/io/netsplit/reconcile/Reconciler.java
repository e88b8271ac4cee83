package io.netsplit.reconcile;

import io.netsplit.reconcile.client.ReconcilerStatus;
import io.netsplit.reconcile.client.ReconcilerStatus.InputGap;
import io.netsplit.reconcile.internal.DurabilityCheck;
import io.netsplit.reconcile.internal.InputGaps;
import io.netsplit.reconcile.internal.SiteSummary;
import io.netsplit.reconcile.internal.ThreadFailures;
import io.netsplit.reconcile.internal.TopicSetup;
import io.netsplit.reconcile.merge.ConflictState;
import io.netsplit.reconcile.merge.ConvergedView;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.FieldValue;
import io.netsplit.reconcile.merge.Merge;
import io.netsplit.reconcile.merge.MergeState;
import io.netsplit.reconcile.merge.MergeStateCodec;
import io.netsplit.reconcile.internal.AvroMapping;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One site's running reconciler: the Kafka Streams application built by {@link ReconcileTopology},
 * exactly_once_v2, plus what its HTTP API reads — the site summary and entity states through
 * interactive queries, and the input lag from the group's committed offsets. Reads {@code changes},
 * every {@code <alias>.changes} and the ordered log; writes the ordered log, {@code converged},
 * {@code audit} and {@code changes.dlq}. Before it starts, it checks the replication of the topics it writes
 * ({@link DurabilityCheck}) and its input gaps, and then checks the gaps again every
 * {@code reconcile.gap.check.interval.ms} ({@link #checkGaps}).
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final ReconcileConfig config;
    private final KafkaStreams streams;
    private final Admin admin;
    private final Merge merge;
    private final InputGaps gaps;
    private final ScheduledExecutorService gapChecks;
    private volatile SiteSummary lastSummary = SiteSummary.empty();
    private volatile boolean summaryRead;

    private Reconciler(ReconcileConfig config, KafkaStreams streams, Admin admin, InputGaps gaps) {
        this.config = config;
        this.streams = streams;
        this.admin = admin;
        this.merge = new Merge(config.mergeConfig());
        this.gaps = gaps;
        this.gapChecks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reconcile-gap-check");
            t.setDaemon(true);
            return t;
        });
        long every = config.gapCheckIntervalMs();
        gapChecks.scheduleWithFixedDelay(() -> checkGapsQuietly(admin, config, gaps), every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates missing topics, checks their replication and the input gaps, and starts the application; returns at once
     * (see {@link #state()}).
     */
    public static Reconciler start(ReconcileConfig config) throws Exception {
        Admin admin = Admin.create(config.adminProperties());
        InputGaps gaps = new InputGaps();
        try {
            TopicSetup.ensure(admin, config);
            DurabilityCheck.verify(admin, config);
            checkGapsQuietly(admin, config, gaps); // before Streams reads: a stopped reconciler's gap is still visible
        } catch (Exception e) {
            admin.close(Duration.ofSeconds(5));
            throw e;
        }
        KafkaStreams streams = new KafkaStreams(ReconcileTopology.build(config), streamsProperties(config));
        ThreadFailures failures = new ThreadFailures();
        streams.setUncaughtExceptionHandler(e -> {
            long pause = failures.next(System.nanoTime());
            log.error("stream thread failed ({} in a row); replacing it in {} ms (the uncommitted transaction is aborted "
                    + "and redone)", failures.inARow(), pause, e);
            failures.pause(pause);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("reconciler {} state {} -> {}", config.site(), before, now));
        streams.start();
        return new Reconciler(config, streams, admin, gaps);
    }

    /** The Kafka Streams properties of a configuration: exactly_once_v2, its application id, state dir. */
    public static Properties streamsProperties(ReconcileConfig config) {
        Properties p = new Properties();
        p.putAll(config.kafka()); // kafka.* first: what exactly-once and the topology need wins
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a mirrored topic of a site added later must be found in seconds, not the default 5 minutes
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 5000);
        return p;
    }

    public ReconcileConfig config() {
        return config;
    }

    /** The Kafka Streams state: CREATED, REBALANCING, RUNNING, ERROR... */
    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The site summary from the summary store; the last one read if the store is not queryable now. */
    public SiteSummary summary() {
        try {
            lastSummary = readSummary(streams);
            summaryRead = true;
        } catch (RuntimeException e) {
            log.debug("summary store not queryable now ({}); reporting the last summary read", e.getMessage());
        }
        return lastSummary;
    }

    /**
     * {@link #summary()}, but fails while nothing has been read since this process started (the stores
     * are still being restored after a start or a crash): zeros would look like real counts.
     */
    private SiteSummary readySummary() {
        SiteSummary s = summary();
        if (!summaryRead) {
            throw new IllegalStateException("reconciler " + config.site() + " is restoring its state (" + state()
                    + "); counters are not available yet");
        }
        return s;
    }

    /** Sums the summary of every local task. */
    public static SiteSummary readSummary(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                ReconcileTopology.SUMMARY_STORE, QueryableStoreTypes.keyValueStore()));
        SiteSummary total = SiteSummary.empty();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                total = total.plus(SiteSummary.decode(it.next().value));
            }
        }
        return total;
    }

    /** The converged view of one key, or null if the site has received nothing for it. */
    public ConvergedView entity(String key) {
        byte[] stored = stateStore().get(key);
        return stored == null ? null : merge.converged(MergeStateCodec.decode(stored));
    }

    /** Keys currently in conflict (frontier of more than one event), only PENDING ones if asked; at most {@code limit}. */
    public List<ConvergedView> conflicts(boolean pendingOnly, int limit) {
        List<ConvergedView> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = stateStore().all()) {
            while (it.hasNext() && out.size() < limit) {
                MergeState s = MergeStateCodec.decode(it.next().value);
                if (s.inConflict()) {
                    ConvergedView v = merge.converged(s);
                    if (!pendingOnly || v.conflict() == ConflictState.PENDING) {
                        out.add(v);
                    }
                }
            }
        }
        return out;
    }

    private ReadOnlyKeyValueStore<String, byte[]> stateStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(ReconcileTopology.STATE_STORE, QueryableStoreTypes.keyValueStore()));
    }

    /**
     * Records not yet processed per input topic (and the ordered log): end offset (read_committed)
     * minus the group's committed offset, summed over partitions. Kafka Streams commits the consumer
     * position, which steps over transaction markers, so an idle, caught-up site reports 0.
     */
    public Map<String, Long> lag() {
        try {
            return lag(admin, config.applicationId(), inputTopics());
        } catch (Exception e) {
            log.debug("lag not available: {}", e.getMessage());
            return Map.of();
        }
    }

    private List<String> inputTopics() throws Exception {
        List<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                .filter(t -> config.topics().inputPattern().matcher(t).matches()).sorted().collect(Collectors.toCollection(ArrayList::new));
        topics.add(config.topics().log());
        return topics;
    }

    /** Lag per topic of a consumer group (see {@link #lag()}). */
    public static Map<String, Long> lag(Admin admin, String groupId, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var ends = admin.listOffsets(latest, committedOnly).all().get(10, TimeUnit.SECONDS);
        var starts = admin.listOffsets(earliest, committedOnly).all().get(10, TimeUnit.SECONDS);
        Map<String, Long> lag = new TreeMap<>();
        for (TopicPartition tp : latest.keySet()) {
            OffsetAndMetadata c = committed.get(tp);
            long from = c != null ? c.offset() : starts.get(tp).offset();
            lag.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - from), Long::sum);
        }
        for (String t : topics) {
            lag.putIfAbsent(t, 0L);
        }
        return lag;
    }

    /** Every input gap seen since this process started (see {@link #checkGaps}). */
    public List<InputGap> gaps() {
        return gaps.all();
    }

    private static void checkGapsQuietly(Admin admin, ReconcileConfig config, InputGaps gaps) {
        try {
            checkGaps(admin, config, gaps);
        } catch (Exception e) {
            log.warn("reconciler {}: input gap check failed, trying again in {} ms: {}", config.site(),
                    config.gapCheckIntervalMs(), e.toString());
        }
    }

    /**
     * Compares the application's committed offset in every input partition (and the ordered log) with the partition's
     * log start offset, logs an ERROR line per new or grown gap and keeps it (see {@link InputGaps}).
     */
    private static void checkGaps(Admin admin, ReconcileConfig config, InputGaps gaps) throws Exception {
        Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .forEach((tp, offset) -> {
                    if (offset != null && topics.contains(tp.topic()) && (config.topics().inputPattern().matcher(tp.topic()).matches()
                            || tp.topic().equals(config.topics().log()))) {
                        committed.put(tp, offset.offset());
                    }
                });
        if (committed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        committed.keySet().forEach(tp -> earliest.put(tp, OffsetSpec.earliest()));
        Map<TopicPartition, Long> starts = new HashMap<>();
        admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> starts.put(tp, info.offset()));
        for (InputGap gap : gaps.record(InputGaps.between(committed, starts, System.currentTimeMillis()))) {
            log.error("reconciler {}: GAP {}: those records will never be merged at {}; Kafka Streams goes on from the "
                    + "log start (reconcile-streams/README.md, 'Input gaps')", config.site(), gap.describe(), config.site());
        }
    }

    /** The {@code GET /status} document. */
    public ReconcilerStatus status() {
        SiteSummary s = readySummary();
        ReconcilerStatus.Counters counters = new ReconcilerStatus.Counters(s.compared(), s.merged(), s.duplicates(), s.stale(),
                s.deadLettered() + s.rejected(), s.retried(), s.manualResolutions(), s.applied(), s.deadLettered(), s.rejected());
        // with the policies, siteOrder and authority are everything a replay needs to decide exactly as this site does
        return new ReconcilerStatus(config.site(), state().name(), config.defaultPolicy(), config.policyPrefixes(),
                config.siteOrder(), config.authority(), s.conflicts(), s.merged(), s.pending(), counters, lag(),
                s.frontier().asMap(), s.digest().count(), s.digest().hex(), s.sequence(), gaps.all());
    }

    /** The {@code GET /digest} document. */
    public Map<String, Object> digestJson() {
        SiteSummary s = readySummary();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site", config.site());
        out.put("digest", s.digest().hex());
        out.put("keys", s.digest().count());
        out.put("frontier", new TreeMap<>(s.frontier().asMap()));
        return out;
    }

    /** A converged view as JSON. */
    public static Map<String, Object> viewJson(ConvergedView v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", v.key());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, FieldValue> e : v.fields().entrySet()) {
            fields.put(e.getKey(), AvroMapping.avroValue(e.getValue()));
        }
        out.put("fields", fields);
        out.put("deleted", v.deleted());
        out.put("vector", new TreeMap<>(v.vector().asMap()));
        out.put("winner", v.winner().toString());
        out.put("winnerVersion", v.winnerVersion());
        out.put("version", v.maxVersion());
        out.put("conflictState", v.conflict().name());
        out.put("frontier", v.frontier().stream().map(Dot::toString).toList());
        out.put("siblings", v.siblings().stream().map(Dot::toString).toList());
        out.put("policy", v.policy());
        out.put("conflictId", v.conflictId());
        return out;
    }

    /** The summary last read, without querying the store (metrics read this after one refresh). */
    public SiteSummary lastSummary() {
        return lastSummary;
    }

    @Override
    public void close() {
        gapChecks.shutdownNow();
        streams.close(Duration.ofSeconds(30));
        admin.close(Duration.ofSeconds(5));
    }
}
