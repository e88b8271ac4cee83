package io.netsplit.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netsplit.lab.LinkDescriptor;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.internal.Json;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Measures the health of every directed link, once per interval, on its own thread per link.
 *
 * <p>Reads, per link source → target: a Kafka ApiVersions round trip <em>through the link</em> (is
 * it cut?); the end offsets of the mirrored topics at the source and MM2's committed source
 * positions (the Connect offsets topic {@code mm2-offsets.<source>.internal} at the target) for the
 * lag in records; the oldest unreplicated record's timestamp at the source for the lag in
 * milliseconds; the newest timestamps of {@code <source>.<topic>} and {@code <source>.heartbeats} at
 * the target. Sites are read directly (the management network), never through the links, so the
 * monitor keeps measuring while links are cut. Writes nothing.
 */
public final class LinkHealthMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkHealthMonitor.class);
    private static final String SOURCE_CONNECTOR = "MirrorSourceConnector";

    private final MirrorConfig config;
    private final Function<String, Boolean> mirrorRunning;
    private final Map<String, Admin> admins = new LinkedHashMap<>();
    private final Map<String, String> bootstrap = new LinkedHashMap<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile boolean closed;

    /**
     * @param mirrorRunning tells whether the MM2 process of a target site is alive (null: unknown)
     */
    public LinkHealthMonitor(List<SiteDescriptor> sites, List<LinkDescriptor> links, MirrorConfig config,
                             Function<String, Boolean> mirrorRunning) {
        this.config = config;
        this.mirrorRunning = mirrorRunning;
        for (SiteDescriptor s : sites) {
            bootstrap.put(s.name(), s.bootstrap());
            admins.put(s.name(), Admin.create(adminProps(s.bootstrap())));
        }
        for (LinkDescriptor l : links) {
            watchers.add(new Watcher(l));
        }
    }

    /** Starts measuring; returns at once. */
    public LinkHealthMonitor start() {
        for (Watcher w : watchers) {
            w.registerMetrics();
            Thread.ofPlatform().daemon().name("link-health-" + w.link.source() + "-" + w.link.target()).start(w::run);
        }
        return this;
    }

    /** The latest measurement of every link. */
    public List<LinkHealth> snapshot() {
        return watchers.stream().map(w -> w.current).toList();
    }

    /** Prometheus text exposition of the link metrics. */
    public String prometheus() {
        return registry.scrape();
    }

    @Override
    public void close() {
        closed = true;
        for (Watcher w : watchers) {
            w.awaitStopped();
        }
        admins.values().forEach(a -> a.close(Duration.ofSeconds(2)));
        registry.close();
    }

    private static Properties adminProps(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "netsplit-link-health");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return p;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        // what MM2 reads: committed writes only
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Measures one link. */
    private final class Watcher {
        private final LinkDescriptor link;
        private final String offsetsTopic;
        private final String heartbeatsTopic;
        private boolean heartbeatsSeen;
        private long heartbeatsCheckedAt;
        private final Deque<Long> recentRtts = new ArrayDeque<>();
        private final Map<TopicPartition, Long> committed = new HashMap<>();
        private final Map<String, Long> timestampAt = new HashMap<>();
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        private KafkaConsumer<byte[], byte[]> offsetsConsumer;
        private KafkaConsumer<byte[], byte[]> sourceConsumer;
        private List<TopicPartition> sourcePartitions = List.of();
        private long partitionsRefreshedAt;
        private Long lastSeenTimestamp;
        private Long lastSeenAt;
        private final List<LinkGap> gaps = new ArrayList<>();
        private volatile LinkHealth current;

        Watcher(LinkDescriptor link) {
            this.link = link;
            this.offsetsTopic = "mm2-offsets." + link.source() + ".internal";
            this.heartbeatsTopic = link.source() + ".heartbeats";
            long now = System.currentTimeMillis();
            current = new LinkHealth(link.source(), link.target(), LinkStatus.UP, now, false, null, "not probed yet",
                    null, null, null, null, null, null, null, null, null, now, null, List.of());
        }

        void registerMetrics() {
            Tags tags = Tags.of("source", link.source(), "target", link.target());
            Gauge.builder("mirror.link.lag.records", this, w -> num(w.current.lagRecords()))
                    .description("Records at the source not yet replicated over the link").tags(tags).register(registry);
            Gauge.builder("mirror.link.lag.ms", this, w -> num(w.current.lagMs()))
                    .description("Age of the oldest record not yet replicated").tags(tags).register(registry);
            Gauge.builder("mirror.link.probe.rtt.ms", this, w -> w.current.probeOk() ? num(w.current.probeRttMs()) : Double.NaN)
                    .description("Kafka round trip through the link").tags(tags).register(registry);
            Gauge.builder("mirror.link.heartbeat.age.ms", this, w -> num(w.current.heartbeatAgeMs()))
                    .description("Age of the newest MM2 heartbeat that crossed the link").tags(tags).register(registry);
            Gauge.builder("mirror.link.last.record.timestamp.ms", this, w -> num(w.current.lastRecordTimestampMs()))
                    .description("Source write time of the newest replicated record").tags(tags).register(registry);
            Gauge.builder("mirror.link.gap.offsets", this,
                            w -> w.current.gaps().stream().mapToLong(LinkGap::lostOffsets).sum())
                    .description("Source offsets deleted by retention before MM2 copied them (lost; 0 when none)")
                    .tags(tags).register(registry);
            Gauge.builder("mirror.link.replicated.records", this, w -> num(w.current.replicatedRecords()))
                    .description("End offsets of the mirrored topics at the target").tags(tags).register(registry);
            for (LinkStatus s : LinkStatus.values()) {
                Gauge.builder("mirror.link.status", this, w -> w.current.status() == s ? 1 : 0)
                        .description("1 for the link's current status").tags(tags.and("status", s.label())).register(registry);
            }
        }

        void run() {
            try {
                offsetsConsumer = consumer(bootstrap.get(link.target()), "netsplit-link-health-offsets-" + link.id());
                sourceConsumer = consumer(bootstrap.get(link.source()), "netsplit-link-health-source-" + link.id());
                while (!closed) {
                    long t0 = System.currentTimeMillis();
                    try {
                        current = measure();
                    } catch (RuntimeException e) {
                        log.debug("measuring link {} failed", link.id(), e);
                    }
                    long wait = config.healthIntervalMs() - (System.currentTimeMillis() - t0);
                    if (wait > 0 && !closed) {
                        TimeUnit.MILLISECONDS.sleep(wait);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (offsetsConsumer != null) {
                    offsetsConsumer.close(Duration.ofSeconds(1));
                }
                if (sourceConsumer != null) {
                    sourceConsumer.close(Duration.ofSeconds(1));
                }
                stopped.countDown();
            }
        }

        void awaitStopped() {
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private LinkHealth measure() {
            long now = System.currentTimeMillis();
            KafkaLinkProbe.Result probe = KafkaLinkProbe.probe(link.listen(), config.probeTimeoutMs());
            if (probe.ok()) {
                recentRtts.addLast(probe.rttMs());
                while (recentRtts.size() > 3) {
                    recentRtts.removeFirst();
                }
            } else {
                recentRtts.clear();
            }
            Long lagRecords = null;
            Long lagMs = null;
            Long sourceEnd = null;
            Long position = null;
            Long replicated = null;
            Long heartbeatAge = null;
            String error = null;
            try {
                refreshPartitions(now);
                pollCommitted();
                Map<TopicPartition, Long> ends = endOffsets(admins.get(link.source()), sourcePartitions, OffsetSpec.latest());
                long lag = 0;
                long end = 0;
                long pos = 0;
                Long oldest = null;
                for (TopicPartition tp : sourcePartitions) {
                    long e = ends.getOrDefault(tp, 0L);
                    long p = committed.containsKey(tp) ? committed.get(tp) + 1 : 0;
                    end += e;
                    if (e > p) {
                        Long ts = timestampAt(tp, p);
                        if (ts == null && onlyControlRecordsFrom(tp, e)) {
                            // transactional writers end the log with commit markers, which MM2 never copies
                            pos += e;
                            continue;
                        }
                        lag += e - p;
                        if (ts != null && (oldest == null || ts < oldest)) {
                            oldest = ts;
                        }
                    }
                    pos += Math.min(p, e);
                }
                recordGaps(admins.get(link.source()), now);
                lagRecords = lag;
                sourceEnd = end;
                position = pos;
                lagMs = lag == 0 ? 0L : oldest == null ? null : Math.max(0, now - oldest);
            } catch (RuntimeException | ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                error = "source " + link.source() + ": " + rootMessage(e);
            }
            try {
                Admin target = admins.get(link.target());
                List<TopicPartition> remote = remotePartitions();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> newest = listOffsets(target, remote, OffsetSpec.maxTimestamp());
                long count = 0;
                Long newestTs = null;
                for (var info : newest.values()) {
                    if (info.timestamp() >= 0 && (newestTs == null || info.timestamp() > newestTs)) {
                        newestTs = info.timestamp();
                    }
                }
                for (long e : endOffsets(target, remote, OffsetSpec.latest()).values()) {
                    count += e;
                }
                replicated = count;
                if (newestTs != null && !newestTs.equals(lastSeenTimestamp)) {
                    lastSeenTimestamp = newestTs;
                    lastSeenAt = now;
                }
                if (heartbeatsExist(target, now)) {
                    TopicPartition hb = new TopicPartition(heartbeatsTopic, 0);
                    var hbInfo = listOffsets(target, List.of(hb), OffsetSpec.maxTimestamp()).get(hb);
                    if (hbInfo != null && hbInfo.timestamp() >= 0) {
                        heartbeatAge = Math.max(0, now - hbInfo.timestamp());
                    }
                }
            } catch (RuntimeException | ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (!(rootCause(e) instanceof UnknownTopicOrPartitionException)) {
                    error = (error == null ? "" : error + "; ") + "target " + link.target() + ": " + rootMessage(e);
                }
            }
            Boolean running = mirrorRunning == null ? null : mirrorRunning.apply(link.target());
            LinkStatus status = decide(probe, lagRecords, lagMs, running);
            long since = status == current.status() ? current.statusSinceMs() : now;
            if (status != current.status()) {
                log.info("link {} is {} (was {}): probe {}, lag {} records / {} ms", link.id(), status.label(),
                        current.status().label(), probe.ok() ? probe.rttMs() + " ms" : probe.error(), lagRecords, lagMs);
            }
            return new LinkHealth(link.source(), link.target(), status, since, probe.ok(), probe.rttMs(), probe.error(),
                    lagRecords, lagMs, sourceEnd, position, replicated, lastSeenTimestamp, lastSeenAt, heartbeatAge,
                    running, now, error, List.copyOf(gaps));
        }

        private LinkStatus decide(KafkaLinkProbe.Result probe, Long lagRecords, Long lagMs, Boolean running) {
            Long bestRtt = recentRtts.size() >= 3 ? recentRtts.stream().mapToLong(Long::longValue).min().getAsLong() : null;
            return LinkStatusRule.decide(current.status(), probe.ok(), bestRtt, lagRecords, lagMs, running, config);
        }

        /**
         * Compares MM2's positions with the source's log start offsets and keeps every gap found (a gap cannot heal:
         * MM2 moves on from the log start and its position no longer shows it), logging each new or grown one as an
         * error.
         */
        private void recordGaps(Admin source, long now) throws ExecutionException, InterruptedException {
            Map<TopicPartition, Long> positions = new HashMap<>();
            for (TopicPartition tp : sourcePartitions) {
                if (committed.containsKey(tp)) {
                    positions.put(tp, committed.get(tp) + 1);
                }
            }
            if (positions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> starts = endOffsets(source, positions.keySet(), OffsetSpec.earliest());
            for (LinkGap seen : LinkGap.between(positions, starts, now)) {
                LinkGap gap = seen;
                boolean known = false;
                for (int i = 0; i < gaps.size() && !known; i++) {
                    var merged = gaps.get(i).mergedWith(seen);
                    if (merged.isPresent()) {
                        known = true;
                        gap = merged.get();
                        if (gap.equals(gaps.get(i))) {
                            gap = null;
                        } else {
                            gaps.set(i, gap);
                        }
                    }
                }
                if (!known) {
                    gaps.add(gap);
                }
                if (gap != null) {
                    log.error("link {}: GAP {}: those records of {} will never reach {} (mirror/README.md, 'Gaps')",
                            link.id(), gap.describe(), link.source(), link.target());
                }
            }
        }

        /** MM2 creates {@code <source>.heartbeats} a little after it starts; asking for it earlier logs errors. */
        private boolean heartbeatsExist(Admin target, long now) throws ExecutionException, InterruptedException {
            if (!heartbeatsSeen && now - heartbeatsCheckedAt >= 5_000) {
                heartbeatsCheckedAt = now;
                try {
                    heartbeatsSeen = target.listTopics().names().get(5, TimeUnit.SECONDS).contains(heartbeatsTopic);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ExecutionException("listing topics timed out", e);
                }
            }
            return heartbeatsSeen;
        }

        private void refreshPartitions(long now) throws ExecutionException, InterruptedException {
            if (!sourcePartitions.isEmpty() && now - partitionsRefreshedAt < 30_000) {
                return;
            }
            Map<String, TopicDescription> d;
            try {
                d = admins.get(link.source()).describeTopics(config.topics()).allTopicNames().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ExecutionException("describing " + config.topics() + " timed out", e);
            }
            List<TopicPartition> tps = new ArrayList<>();
            for (TopicDescription td : d.values()) {
                td.partitions().forEach(p -> tps.add(new TopicPartition(td.name(), p.partition())));
            }
            sourcePartitions = tps;
            partitionsRefreshedAt = now;
        }

        private List<TopicPartition> remotePartitions() {
            return sourcePartitions.stream()
                    .map(tp -> new TopicPartition(link.source() + "." + tp.topic(), tp.partition())).toList();
        }

        /** Reads what MM2 committed since the last look: its position per source partition. */
        private void pollCommitted() {
            if (offsetsConsumer.assignment().isEmpty()) {
                var infos = offsetsConsumer.partitionsFor(offsetsTopic, Duration.ofSeconds(2));
                if (infos == null || infos.isEmpty()) {
                    return; // MM2 has not created its offsets topic yet
                }
                List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                offsetsConsumer.assign(tps);
                offsetsConsumer.seekToBeginning(tps);
            }
            for (int i = 0; i < 20; i++) {
                var records = offsetsConsumer.poll(Duration.ofMillis(i == 0 ? 200 : 0));
                if (records.isEmpty()) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    readOffset(r);
                }
            }
        }

        // key: ["MirrorSourceConnector",{"cluster":"us-east","partition":0,"topic":"changes"}], value: {"offset":41}
        private void readOffset(ConsumerRecord<byte[], byte[]> r) {
            if (r.key() == null) {
                return;
            }
            try {
                JsonNode key = Json.MAPPER.readTree(r.key());
                if (!key.isArray() || key.size() != 2 || !SOURCE_CONNECTOR.equals(key.get(0).asText())) {
                    return;
                }
                JsonNode part = key.get(1);
                if (!link.source().equals(part.path("cluster").asText())) {
                    return;
                }
                TopicPartition tp = new TopicPartition(part.path("topic").asText(), part.path("partition").asInt());
                if (r.value() == null) {
                    committed.remove(tp);
                } else {
                    committed.put(tp, Json.MAPPER.readTree(r.value()).path("offset").asLong());
                }
            } catch (java.io.IOException e) {
                log.debug("unreadable MM2 offset record in {}", offsetsTopic);
            }
        }

        /** The timestamp of the record at {@code offset} of a source partition (cached). */
        /**
         * True when the read_committed source consumer, positioned by {@link #timestampAt}, got past
         * {@code end} without returning a record: what is left is transaction markers (or aborted data).
         */
        private boolean onlyControlRecordsFrom(TopicPartition tp, long end) {
            try {
                return sourceConsumer.position(tp, Duration.ofMillis(500)) >= end;
            } catch (RuntimeException e) {
                return false;
            }
        }

        private Long timestampAt(TopicPartition tp, long offset) {
            String k = tp + "@" + offset;
            Long cached = timestampAt.get(k);
            if (cached != null) {
                return cached;
            }
            sourceConsumer.assign(List.of(tp));
            sourceConsumer.seek(tp, offset);
            var records = sourceConsumer.poll(Duration.ofMillis(500));
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (r.offset() >= offset) {
                    if (timestampAt.size() > 1000) {
                        timestampAt.clear();
                    }
                    timestampAt.put(k, r.timestamp());
                    return r.timestamp();
                }
            }
            return null;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> tps, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        listOffsets(admin, tps, spec).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> listOffsets(
            Admin admin, Collection<TopicPartition> tps, OffsetSpec spec) throws ExecutionException, InterruptedException {
        if (tps.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        tps.forEach(tp -> request.put(tp, spec));
        try {
            return admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("listing offsets timed out", e);
        }
    }

    private static double num(Long v) {
        return v == null ? Double.NaN : v;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = rootCause(e);
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
