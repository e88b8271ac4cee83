package io.netsplit.reconcile;

import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabConfig;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.serde.AvroSerde;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.netsplit.reconcile.ChangeEvents.upsert;
import static io.netsplit.reconcile.ChangeEvents.vv;

/**
 * Reconcile throughput against a pass-through Kafka Streams topology on the same input with the same
 * guarantee (exactly_once_v2), measured in one run on one single-site lab broker, printed as a ratio
 * (target >= 0.8, docs/architecture.md §8). No assertions: a benchmark, not a test.
 *
 * <pre>
 * ./mvnw -q -pl reconcile-streams test-compile exec:exec@streams-bench \
 *     -Dstreams.bench.events="200000 100 1"   # events, commit.interval.ms, stream threads (defaults 200000 100 1)
 * </pre>
 *
 * Input: {@code events} ChangeEvents over 10,000 keys: per key a causal chain written at the local
 * site (topic {@code <t>}) plus, for one key in ten, a concurrent write from a remote site (topic
 * {@code remote.<t>}): the mix of plain updates, conflicts and stale deliveries a healed netsplit
 * brings. Each application's throughput is records / time from the moment it is RUNNING (partitions
 * assigned, stores restored) to the moment all its input is committed; reconcile also counts the merge
 * stage draining its ordered log. Offsets count transaction markers too (equally for both apps).
 */
public final class ReconcileBenchmark {

    private ReconcileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String commitMs = args.length > 1 ? args[1] : ReconcileConfig.COMMIT_INTERVAL_MS_DEFAULT;
        String threads = args.length > 2 ? args[2] : ReconcileConfig.STREAM_THREADS_DEFAULT;
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("netsplit-reconcile-bench-");
        Map<String, String> labProps = new HashMap<>();
        labProps.put(LabConfig.SITES, "bench");
        labProps.put(LabConfig.DIR, dir.resolve("lab").toString());
        labProps.put(LabConfig.BROKER_HEAP, "768m");
        labProps.put(LabConfig.DISABLED_COMPONENTS, "links,mirror,reconciler,writer,audit");
        try (EmbeddedLab lab = EmbeddedLab.start(LabConfig.parse(labProps), out)) {
            String bootstrap = lab.site("bench").bootstrap();
            String registry = lab.registryUrl();
            String t = "bench" + UUID.randomUUID().toString().substring(0, 6);
            long produced = produce(bootstrap, registry, t, events);
            out.printf("input: %d ChangeEvents on %s and remote.%s (1 partition each); commit.interval.ms=%s, %s stream thread(s) for every app%n",
                    produced, t, t, commitMs, threads);

            Map<String, String> p = new HashMap<>();
            p.put(ReconcileConfig.SITE, "bench");
            p.put(ReconcileConfig.BOOTSTRAP_SERVERS, bootstrap);
            p.put(ReconcileConfig.REGISTRY_URL, registry);
            p.put(ReconcileConfig.SITE_ORDER, "bench,remote");
            p.put(ReconcileConfig.TOPIC_CHANGES, t);
            p.put(ReconcileConfig.TOPIC_CONVERGED, t + "-converged");
            p.put(ReconcileConfig.TOPIC_AUDIT, t + "-audit");
            p.put(ReconcileConfig.TOPIC_DLQ, t + "-dlq");
            p.put(ReconcileConfig.TOPIC_LOG, t + "-log");
            p.put(ReconcileConfig.REPLICATION_FACTOR, "1");
            p.put(ReconcileConfig.STATE_DIR, dir.resolve("state").toString());
            p.put(ReconcileConfig.APPLICATION_ID, t + "-reconcile");
            p.put(ReconcileConfig.COMMIT_INTERVAL_MS, commitMs);
            p.put(ReconcileConfig.STREAM_THREADS, threads);
            ReconcileConfig config = ReconcileConfig.parse(p);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(t + "-passthrough-out", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                io.netsplit.reconcile.internal.TopicSetup.ensure(admin, config);
                List<TopicPartition> inputs = List.of(new TopicPartition(t, 0), new TopicPartition("remote." + t, 0));

                Properties pt = Reconciler.streamsProperties(config);
                pt.put("application.id", t + "-passthrough");
                double passThrough = run(admin, new KafkaStreams(passThrough(config, t + "-passthrough-out"), pt),
                        t + "-passthrough", inputs, null);
                out.printf("pass-through (exactly_once_v2): %,.0f records/s%n", passThrough);

                double reconcile = run(admin, new KafkaStreams(ReconcileTopology.build(config), Reconciler.streamsProperties(config)),
                        config.applicationId(), inputs, new TopicPartition(config.topics().log(), 0));
                out.printf("reconcile      (exactly_once_v2): %,.0f records/s%n", reconcile);
                out.printf("ratio reconcile / pass-through: %.2f (target >= 0.8); %d cores%n", reconcile / passThrough,
                        Runtime.getRuntime().availableProcessors());

                // The merge stage alone: the reconcile topology without its ingest hop (as a replay runs it)
                // against a pass-through, both over the ordered log the run above filled.
                TopicPartition logTp = new TopicPartition(config.topics().log(), 0);
                ReconcileConfig logOnly = config.forReplay("bench", dir.resolve("state-merge"), Long.MAX_VALUE);
                io.netsplit.reconcile.internal.TopicSetup.ensure(admin, logOnly);
                Map<String, String> logPattern = new HashMap<>(p);
                logPattern.put(ReconcileConfig.TOPIC_CHANGES, config.topics().log());
                logPattern.put(ReconcileConfig.TOPIC_LOG, t + "-unused-log");
                logPattern.put(ReconcileConfig.APPLICATION_ID, t + "-passthrough-log");
                ReconcileConfig logPassConfig = ReconcileConfig.parse(logPattern);
                Properties pl = Reconciler.streamsProperties(logPassConfig);
                double passLog = run(admin, new KafkaStreams(passThrough(logPassConfig, t + "-passthrough-out"), pl),
                        t + "-passthrough-log", List.of(logTp), null);
                double mergeLog = run(admin, new KafkaStreams(ReconcileTopology.build(logOnly), Reconciler.streamsProperties(logOnly)),
                        logOnly.applicationId(), List.of(logTp), null);
                out.printf("merge stage over the ordered log: pass-through %,.0f records/s, merge %,.0f records/s, ratio %.2f%n",
                        passLog, mergeLog, mergeLog / passLog);
            }
        }
    }

    /** The baseline: the same input pattern, bytes in, bytes out, same guarantee and commit interval. */
    static Topology passThrough(ReconcileConfig config, String outTopic) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(config.topics().inputPattern(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-in"))
                .to(outTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-out"));
        return b.build();
    }

    private static long produce(String bootstrap, String registry, String t, int events) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        int keys = 10_000;
        long[] counter = new long[keys];
        Random random = new Random(7);
        long n = 0;
        try (AvroSerde<ChangeEvent> serde = AvroSerde.configured(ChangeEvent.class, Map.of("schema.registry.url", registry), false);
             KafkaProducer<String, ChangeEvent> producer = new KafkaProducer<>(p, new StringSerializer(), serde.serializer())) {
            while (n < events) {
                int k = random.nextInt(keys);
                String key = "k" + k;
                long c = ++counter[k];
                producer.send(new ProducerRecord<>(t, key, upsert(key, "bench", c, vv("bench", c - 1), c, "n", c, "name", "entity " + k)));
                n++;
                if (k % 10 == 0 && c == 1 && n < events) {
                    producer.send(new ProducerRecord<>("remote." + t, key, upsert(key, "remote", 1, vv(), 1, "n", -1L, "name", "remote")));
                    n++;
                }
            }
            producer.flush();
        }
        return n;
    }

    /** Runs an application to completion; records/s from the moment it is RUNNING (assigned, restored) to the end. */
    private static double run(Admin admin, KafkaStreams streams, String group, List<TopicPartition> inputs, TopicPartition log)
            throws Exception {
        Map<TopicPartition, Long> ends = ends(admin, inputs);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        java.util.concurrent.atomic.AtomicLong running = new java.util.concurrent.atomic.AtomicLong();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.compareAndSet(0, System.nanoTime());
            }
        });
        streams.start();
        try {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                long done = 0;
                for (TopicPartition tp : inputs) {
                    OffsetAndMetadata o = c.get(tp);
                    done += o == null ? 0 : Math.min(o.offset(), ends.get(tp));
                }
                long now = System.nanoTime();
                boolean inputsDone = done >= total;
                boolean logDone = true;
                if (log != null && inputsDone) {
                    long logEnd = ends(admin, List.of(log)).get(log);
                    OffsetAndMetadata lo = c.get(log);
                    logDone = lo != null && lo.offset() >= logEnd;
                }
                if (inputsDone && logDone && running.get() != 0) {
                    double seconds = (now - running.get()) / 1e9;
                    return total / Math.max(seconds, 1e-3);
                }
                Thread.sleep(50);
            }
        } finally {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, List<TopicPartition> tps) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        tps.forEach(tp -> spec.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(spec, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
