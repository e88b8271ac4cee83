package io.netsplit.audit;

import io.netsplit.audit.store.AuditAnomaly;
import io.netsplit.audit.store.AuditStore;
import io.netsplit.audit.store.DecisionFilter;
import io.netsplit.audit.store.SequenceRange;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.lab.Lab;
import io.netsplit.schemas.AuditEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.netsplit.audit.AuditFixtures.conflict;
import static io.netsplit.audit.AuditFixtures.pendingManual;
import static io.netsplit.audit.AuditFixtures.resolution;
import static io.netsplit.audit.AuditFixtures.stale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit sink end to end against real Kafka (the lab's us-east broker and registry), each test on
 * its own topic: run on SQLite ({@code SqliteAuditSinkIT}) and on a real PostgreSQL
 * ({@code PostgresAuditSinkIT}).
 */
abstract class AuditSinkScenarios {

    static final String SITE = "us-east";
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /** A fresh, empty store's JDBC URL. */
    protected abstract String newStoreUrl() throws Exception;

    protected static Map<String, String> sinkConfig(Lab lab, String storeUrl, String topic, String group) {
        Map<String, String> c = new HashMap<>();
        c.put(AuditSinkConfig.SITE, SITE);
        c.put(AuditSinkConfig.BOOTSTRAP_SERVERS, lab.site(SITE).bootstrap());
        c.put(AuditSinkConfig.SCHEMA_REGISTRY_URL, lab.registryUrl());
        c.put(AuditSinkConfig.TOPIC, topic);
        c.put(AuditSinkConfig.GROUP_ID, group);
        c.put(AuditSinkConfig.STORE_URL, storeUrl);
        c.put(AuditSinkConfig.HTTP_PORT, "0");
        c.put(AuditSinkConfig.POLL_TIMEOUT_MS, "200");
        c.put(AuditSinkConfig.MAX_POLL_RECORDS, "25");
        c.put("consumer.session.timeout.ms", "6000");
        c.put("consumer.heartbeat.interval.ms", "1500");
        return c;
    }

    static AuditSink startSink(Lab lab, String storeUrl, String topic, String group) {
        return AuditSink.start(new AuditSinkConfig(sinkConfig(lab, storeUrl, topic, group)));
    }

    /** A scripted conflict history of one deciding site: conflicts, a resolved and an open manual conflict, stale events. */
    static List<AuditEvent> scenario(String decidingSite, int count) {
        List<AuditEvent> events = new ArrayList<>();
        for (long s = 1; s <= count; s++) {
            AuditEvent e;
            if (s == 3) {
                e = pendingManual(decidingSite, s, "user-resolved");
            } else if (s == 11) {
                e = resolution(decidingSite, s, "user-resolved");
            } else if (s == 7) {
                e = pendingManual(decidingSite, s, "user-open");
            } else if (s % 5 == 0) {
                e = stale(decidingSite, s, "user" + (s % 7));
            } else {
                e = conflict(decidingSite, s, "user" + (s % 7));
            }
            events.add(e);
        }
        return events;
    }

    static String group() {
        return "audit-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aScriptedScenarioIsStoredWithCorrectFieldsAndReplayingTwiceChangesNoRowCount(Lab lab) throws Exception {
        // Given a scenario on a two-partition audit topic, plus what a reader must not take as a decision:
        // an aborted transaction's record and an unreadable payload
        String bootstrap = lab.site(SITE).bootstrap();
        String topic = KafkaFixtures.createTopic(bootstrap, "audit-scenario", 2);
        List<AuditEvent> events = scenario(SITE, 40);
        KafkaFixtures.produce(bootstrap, lab.registryUrl(), topic, events.subList(0, 20));
        try (KafkaProducer<String, AuditEvent> tx = KafkaFixtures.producer(bootstrap, lab.registryUrl(), "tx-" + topic)) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic, "ghost", conflict(SITE, 999, "ghost"))).get(30, TimeUnit.SECONDS);
            tx.abortTransaction();
        }
        Properties raw = new Properties();
        raw.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> garbage = new KafkaProducer<>(raw, new ByteArraySerializer(), new ByteArraySerializer())) {
            garbage.send(new ProducerRecord<>(topic, 0, null, new byte[] {7, 1, 2, 3})).get(30, TimeUnit.SECONDS);
        }
        KafkaFixtures.produce(bootstrap, lab.registryUrl(), topic, events.subList(20, 40));
        String url = newStoreUrl();

        // When the sink reads it
        String first = group();
        try (AuditSink sink = startSink(lab, url, topic, first)) {
            AuditStore store = sink.store();
            await().atMost(PATIENCE).until(() -> KafkaFixtures.caughtUp(bootstrap, first, topic));

            // Then every decision is stored with its fields, nothing else is, and the garbage is an anomaly
            assertThat(store.count(null)).isEqualTo(40);
            for (AuditEvent e : events) {
                StoredDecision d = store.get(SITE, e.getSequence()).orElseThrow();
                StoredDecision expected = AuditRecords.toStored(e, d.source());
                assertThat(d.sameContentAs(expected)).as("decision %s", e.getSequence()).isTrue();
                assertThat(d.source().topic()).isEqualTo(topic);
            }
            assertThat(store.get(SITE, 999)).as("record of an aborted transaction").isEmpty();
            assertThat(store.audit(SITE)).singleElement().satisfies(a -> {
                assertThat(a.first()).isEqualTo(1);
                assertThat(a.last()).isEqualTo(40);
                assertThat(a.complete()).isTrue();
            });
            assertThat(store.anomalies()).singleElement().extracting(AuditAnomaly::kind).isEqualTo(AuditAnomaly.UNREADABLE);
            assertThat(store.find(new DecisionFilter(null, null, null, true, Set.of(), 0)))
                    .extracting(StoredDecision::key).containsExactly("user-open");
        }

        // When the topic is replayed from the start, twice, into the same store
        for (int replay = 0; replay < 2; replay++) {
            String g = group();
            try (AuditSink sink = startSink(lab, url, topic, g)) {
                await().atMost(PATIENCE).until(() -> KafkaFixtures.caughtUp(bootstrap, g, topic));
                // Then no row is added
                assertThat(sink.store().count(null)).isEqualTo(40);
                assertThat(sink.store().anomalies()).hasSize(1);
            }
        }
    }

    @Test
    void verifyNamesTheExactMissingRangesAndRepairRestoresThem(Lab lab) throws Exception {
        // Given a complete store
        String bootstrap = lab.site(SITE).bootstrap();
        String topic = KafkaFixtures.createTopic(bootstrap, "audit-repair", 2);
        List<AuditEvent> events = scenario(SITE, 30);
        KafkaFixtures.produce(bootstrap, lab.registryUrl(), topic, events);
        String g = group();
        try (AuditSink sink = startSink(lab, newStoreUrl(), topic, g)) {
            await().atMost(PATIENCE).until(() -> KafkaFixtures.caughtUp(bootstrap, g, topic));
            assertThat(sink.store().count(null)).isEqualTo(30);
            Path labDir = KafkaFixtures.describe(Files.createTempDirectory("audit-lab"), lab.registryUrl(), SITE,
                    bootstrap, sink.url());

            // When records are lost from the store: at the start, inside, alone, and at the end
            sink.store().deleteRange(SITE, 1, 2);
            sink.store().deleteRange(SITE, 9, 12);
            sink.store().deleteRange(SITE, 20, 20);
            sink.store().deleteRange(SITE, 29, 30);

            // Then verify names exactly those ranges and fails
            Cli.Result verify = Cli.run("audit", "verify", "--lab", labDir.toString());
            assertThat(verify.exit()).as("%s", verify).isEqualTo(1);
            assertThat(verify.out()).contains("us-east: deciding site us-east sequences 1..30: 21 stored, "
                    + "missing 1..2, 9..12, 20, 29..30 (9 records)").contains("audit incomplete: 9 records missing");

            // When repaired
            Cli.Result repair = Cli.run("audit", "repair", "--lab", labDir.toString());

            // Then exactly those records are restored, with their content, and verify is clean again
            assertThat(repair.exit()).as("%s", repair).isZero();
            assertThat(repair.out()).contains("restored 9 records (1..2, 9..12, 20, 29..30); complete");
            for (long s : List.of(1L, 2L, 9L, 10L, 11L, 12L, 20L, 29L, 30L)) {
                StoredDecision d = sink.store().get(SITE, s).orElseThrow();
                assertThat(d.sameContentAs(AuditRecords.toStored(events.get((int) s - 1), d.source()))).isTrue();
            }
            Cli.Result again = Cli.run("audit", "verify", "--lab", labDir.toString());
            assertThat(again.exit()).as("%s", again).isZero();
            assertThat(again.out()).contains("30 stored, complete").contains("audit complete");
            assertThat(sink.repair(SITE).decidingSites()).isEmpty();
        }
    }

    @Test
    void aSinkKilledMidStreamCompletesTheStoreWithoutDuplicatesAfterRestart(Lab lab) throws Exception {
        // Given a sink process reading while a producer is still writing
        String bootstrap = lab.site(SITE).bootstrap();
        String topic = KafkaFixtures.createTopic(bootstrap, "audit-crash", 1);
        String url = newStoreUrl();
        String g = group();
        Map<String, String> config = sinkConfig(lab, url, topic, g);
        config.put(AuditSinkConfig.MAX_POLL_RECORDS, "10");
        Path dir = Path.of("target", "sink-processes").toAbsolutePath();
        int total = 600;
        List<AuditEvent> events = scenario(SITE, total);
        AtomicInteger produced = new AtomicInteger();
        Thread producer = Thread.ofPlatform().name("audit-producer").start(() -> {
            try (KafkaProducer<String, AuditEvent> p = KafkaFixtures.producer(bootstrap, lab.registryUrl(), null)) {
                for (AuditEvent e : events) {
                    p.send(new ProducerRecord<>(topic, e.getKey(), e)).get(30, TimeUnit.SECONDS);
                    produced.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (AuditStore reader = openReader(url)) {
            SinkProcess first = SinkProcess.start(dir, config);
            try {
                await().atMost(PATIENCE).until(() -> reader.count(SITE) >= 60);
                // When it is killed with SIGKILL mid-stream
                first.kill();
            } finally {
                first.close();
            }
            long atCrash = reader.count(SITE);
            assertThat(atCrash).as("killed mid-stream").isLessThan(total);

            // Then a restarted sink completes the store, and nothing is stored twice
            try (SinkProcess second = SinkProcess.start(dir, config)) {
                producer.join(PATIENCE.toMillis());
                assertThat(produced.get()).isEqualTo(total);
                await().atMost(PATIENCE).until(() -> KafkaFixtures.caughtUp(bootstrap, g, topic));
                assertThat(reader.count(SITE)).isEqualTo(total);
                assertThat(reader.audit(SITE)).singleElement().satisfies(a -> {
                    assertThat(a.complete()).isTrue();
                    assertThat(a.missing()).isEmpty();
                    assertThat(new SequenceRange(a.first(), a.last())).isEqualTo(new SequenceRange(1, total));
                });
                assertThat(reader.find(DecisionFilter.all())).hasSize(total)
                        .extracting(StoredDecision::sequence).doesNotHaveDuplicates();
            }
        } finally {
            producer.join(PATIENCE.toMillis());
        }
    }

    /** A second connection to the sink's store, as an operator's client would open. */
    protected AuditStore openReader(String url) {
        return AuditStore.open(url, null, null);
    }
}
