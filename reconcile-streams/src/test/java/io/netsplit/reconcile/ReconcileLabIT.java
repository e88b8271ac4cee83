package io.netsplit.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabExtension;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import io.netsplit.reconcile.client.ReconcilerStatus;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.DecisionKind;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.netsplit.reconcile.ChangeEvents.upsert;
import static io.netsplit.reconcile.ChangeEvents.vv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The reconcilers on a real two-site lab (brokers, Apicurio, MM2 over the links): a netsplit with
 * concurrent writes, a site added later with another partition count, dead letters, a kill -9 in
 * the middle of a stream, replays, and an input gap (records deleted before they were read) on topics of its own.
 * One lab for the whole class; every test has its own keys.
 * The lab runs with {@code reconcile.policy.prefixes=manual-=manual} (see the pom).
 */
@Tag("integration")
@Timeout(value = 7, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileLabIT {

    private static final Logger log = LoggerFactory.getLogger(ReconcileLabIT.class);
    private static final String EAST = "us-east";
    private static final String WEST = "eu-west";
    private static final Duration SETTLE = Duration.ofMinutes(2);

    private static EmbeddedLab lab;
    private static LabSites sites;

    @BeforeAll
    static void open(EmbeddedLab embedded) {
        lab = embedded;
        sites = new LabSites(embedded);
    }

    @AfterAll
    static void close() {
        if (sites != null) {
            sites.close();
        }
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void awaitConverged() {
        await().atMost(SETTLE).ignoreExceptions().pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(sites.lag(EAST)).as("us-east lag").isZero();
            assertThat(sites.lag(WEST)).as("eu-west lag").isZero();
            JsonNode a = sites.get(EAST, "/digest");
            JsonNode b = sites.get(WEST, "/digest");
            assertThat(a.path("digest").asText()).isEqualTo(b.path("digest").asText());
            assertThat(a.path("frontier")).isEqualTo(b.path("frontier"));
        });
    }

    @Test
    @Order(1)
    void concurrentWritesDuringACutConvergeAfterTheHeal() throws Exception {
        String p = "cut-" + id() + "-";
        List<String> keys = List.of(p + "a", p + "b", p + "c");
        String manual = "manual-" + p + "m";
        // Given every key written once at us-east and replicated to eu-west
        for (String k : keys) {
            sites.write(EAST, upsert(k, EAST, 1, vv(), 1, "status", "new"));
        }
        sites.write(EAST, upsert(manual, EAST, 1, vv(), 1, "owner", "nobody"));
        await().atMost(SETTLE).ignoreExceptions().untilAsserted(() -> {
            for (String k : keys) {
                assertThat(sites.entity(WEST, k).path("vector").path(EAST).asLong()).isEqualTo(1);
            }
            assertThat(sites.entity(WEST, manual).path("vector").path(EAST).asLong()).isEqualTo(1);
        });
        awaitConverged();
        ReconcilerStatus eastBefore = sites.status(EAST);
        ReconcilerStatus westBefore = sites.status(WEST);

        try (LinkControl links = LinkControls.fromDescriptor(lab.descriptor())) {
            // When the sites are cut off from each other and both write the same keys
            links.isolate(EAST, WEST);
            try {
                for (String k : keys) {
                    sites.write(EAST, upsert(k, EAST, 2, vv(EAST, 1), 2, "status", "online"));
                    sites.write(WEST, upsert(k, WEST, 1, vv(EAST, 1), 2, "status", "offline"));
                }
                sites.write(EAST, upsert(manual, EAST, 2, vv(EAST, 1), 2, "owner", "east-ops"));
                sites.write(WEST, upsert(manual, WEST, 1, vv(EAST, 1), 2, "owner", "west-ops"));
                // Then during the cut each site shows its own write
                await().atMost(SETTLE).ignoreExceptions().untilAsserted(() -> {
                    for (String k : keys) {
                        assertThat(sites.entity(EAST, k).path("fields").path("status").asText()).isEqualTo("online");
                        assertThat(sites.entity(WEST, k).path("fields").path("status").asText()).isEqualTo("offline");
                    }
                });
                assertThat(sites.entity(EAST, keys.get(0)).path("vector").has(WEST)).isFalse();
            } finally {
                links.heal(EAST, WEST);
            }
        }

        // Then after the heal both sites converge: equal digests, the highest version (tie: site order) wins
        awaitConverged();
        for (String k : keys) {
            for (String site : List.of(EAST, WEST)) {
                JsonNode e = sites.entity(site, k);
                assertThat(e.path("fields").path("status").asText()).as(site + " " + k).isEqualTo("online");
                assertThat(e.path("conflictState").asText()).isEqualTo("RESOLVED");
                assertThat(e.path("vector").path(EAST).asLong()).isEqualTo(2);
                assertThat(e.path("vector").path(WEST).asLong()).isEqualTo(1);
            }
        }
        JsonNode m = sites.entity(WEST, manual);
        assertThat(m.path("conflictState").asText()).isEqualTo("PENDING");
        assertThat(m.path("siblings")).hasSize(1);

        // And each site counted one conflict per key: merged for the automatic policy, pending for manual
        for (String site : List.of(EAST, WEST)) {
            ReconcilerStatus before = site.equals(EAST) ? eastBefore : westBefore;
            ReconcilerStatus after = sites.status(site);
            assertThat(after.conflicts() - before.conflicts()).as(site + " conflicts").isEqualTo(4);
            assertThat(after.merged() - before.merged()).as(site + " merged").isEqualTo(3);
            assertThat(after.pending() - before.pending()).as(site + " pending").isEqualTo(1);
            assertThat(after.state()).isEqualTo("RUNNING");
            assertThat(sites.get(site, "/conflicts?pending=true").path("conflicts").findValuesAsText("key")).contains(manual);
        }

        // And both converged topics hold the same values and vectors
        Map<String, ConvergedRecord> east = sites.converged(EAST, p);
        Map<String, ConvergedRecord> west = sites.converged(WEST, p);
        assertThat(east.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        for (String k : keys) {
            assertThat(west.get(k).getFields()).isEqualTo(east.get(k).getFields());
            assertThat(west.get(k).getVersionVector()).isEqualTo(east.get(k).getVersionVector());
            assertThat(west.get(k).getUpdatedBySite()).isEqualTo(WEST);
        }

        // When an operator resolves the manual conflict with a write that dominates both siblings
        sites.write(WEST, upsert(manual, WEST, 2, vv(EAST, 2, WEST, 1), 3, "owner", "shared"));
        awaitConverged();
        for (String site : List.of(EAST, WEST)) {
            ReconcilerStatus before = site.equals(EAST) ? eastBefore : westBefore;
            ReconcilerStatus after = sites.status(site);
            assertThat(after.pending()).isEqualTo(before.pending());
            assertThat(after.counters().manualResolutions() - before.counters().manualResolutions()).isEqualTo(1);
            assertThat(sites.entity(site, manual).path("fields").path("owner").asText()).isEqualTo("shared");
        }
    }

    @Test
    @Order(2)
    void aSiteAddedLaterIsReadByPatternWhateverItsPartitionCount() throws Exception {
        // Given a new site's mirrored topic, created now with 3 partitions at both sites (changes has 2)
        String p = "late-" + id() + "-";
        String topic = "ap-north.changes";
        for (String site : List.of(EAST, WEST)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(site).bootstrap()))) {
                if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
            }
        }
        // When it brings writes for keys that us-east also writes concurrently
        for (int i = 0; i < 12; i++) {
            ChangeEvent e = upsert(p + i, "ap-north", 1, vv(), 1, "from", "ap-north");
            sites.write(EAST, topic, e);
            sites.write(WEST, topic, e);
            sites.write(EAST, upsert(p + i, EAST, 1, vv(), 1, "from", "us-east"));
        }
        // Then every key meets all its events at both sites and they agree
        await().atMost(SETTLE).ignoreExceptions().untilAsserted(() -> {
            for (int i = 0; i < 12; i++) {
                for (String site : List.of(EAST, WEST)) {
                    JsonNode e = sites.entity(site, p + i);
                    assertThat(e.path("vector").path("ap-north").asLong()).isEqualTo(1);
                    assertThat(e.path("vector").path(EAST).asLong()).isEqualTo(1);
                    assertThat(e.path("fields").path("from").asText()).isEqualTo("us-east");
                }
            }
        });
        awaitConverged();
        assertThat(sites.status(EAST).lag().containsKey(topic)).isTrue();
    }

    @Test
    @Order(3)
    void unreadableAndInvalidRecordsGoToTheDeadLetterTopicAndProcessingGoesOn() throws Exception {
        String k = "dlq-" + id();
        long before = sites.status(EAST).counters().rejected();
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(EAST).bootstrap());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>("changes", k.getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        ChangeEvent keyMismatch = upsert(k + "-other", EAST, 1, vv(), 1, "a", "b");
        sites.write(EAST, "changes", k, keyMismatch);
        sites.write(EAST, upsert(k, EAST, 1, vv(), 1, "a", "ok"));
        await().atMost(SETTLE).ignoreExceptions().untilAsserted(() ->
                assertThat(sites.entity(EAST, k).path("fields").path("a").asText()).isEqualTo("ok"));
        assertThat(sites.status(EAST).counters().rejected() - before).isEqualTo(2);
        // (the store is read before its transaction commits; the dead letters appear with the commit)
        AtomicReference<List<ConsumerRecord<String, byte[]>>> read = new AtomicReference<>();
        await().atMost(SETTLE).ignoreExceptions().untilAsserted(() -> {
            read.set(readDlq(k));
            assertThat(read.get()).hasSize(2);
        });
        List<ConsumerRecord<String, byte[]>> dead = read.get();
        assertThat(header(dead.get(0), "netsplit.dlq.reason")).contains("magic byte");
        assertThat(header(dead.get(0), "netsplit.dlq.source.topic")).isEqualTo("changes");
        assertThat(header(dead.get(0), "netsplit.dlq.source.offset")).matches("[0-9]+");
        assertThat(header(dead.get(1), "netsplit.dlq.reason")).contains("key mismatch");
    }

    private List<ConsumerRecord<String, byte[]>> readDlq(String key) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", lab.site(EAST).bootstrap());
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p, new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var parts = c.partitionsFor("changes.dlq").stream().map(i -> new org.apache.kafka.common.TopicPartition("changes.dlq", i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var ends = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(4)
    void aReconcilerKilledMidStreamRestartsToTheSameStateWithAGaplessAudit() throws Exception {
        String p = "crash-" + id() + "-";
        int keys = 200;
        int rounds = 150;
        long comparedBefore = sites.status(EAST).counters().compared();
        // Given a steady stream of writes at us-east, against one concurrent eu-west write per tenth key, with redeliveries
        for (int i = 0; i < keys; i += 10) {
            sites.write(WEST, upsert(p + i, WEST, 1, vv(), 1, "side", "west"));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // the second half of the load waits for the kill, so the reconciler dies with writes still to come
        CountDownLatch killed = new CountDownLatch(1);
        Thread load = Thread.ofPlatform().name("crash-load").start(() -> {
            try {
                for (int r = 1; r <= rounds; r++) {
                    if (r == rounds / 2 + 1 && !killed.await(3, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the reconciler was not killed within 3 minutes of the load's start");
                    }
                    for (int i = 0; i < keys; i++) {
                        ChangeEvent e = upsert(p + i, EAST, r, vv(EAST, r - 1), r, "round", (long) r);
                        sites.send(EAST, e);
                        if (i % 50 == 0) {
                            sites.send(EAST, e); // a redelivery
                        }
                    }
                    sites.flush(EAST);
                    Thread.sleep(100);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });

        // When the us-east reconciler is killed -9 while it is processing
        await().atMost(SETTLE).ignoreExceptions().pollInterval(Duration.ofMillis(100)).until(() ->
                sites.status(EAST).counters().compared() - comparedBefore > 2_000);
        assertThat(load.isAlive()).as("the load is still running when the reconciler is killed").isTrue();
        lab.kill(ReconcilerLabComponent.NAME, EAST);
        log.info("killed reconciler@us-east mid-stream");
        killed.countDown();
        lab.restart(ReconcilerLabComponent.NAME, EAST);
        load.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(failure.get()).isNull();

        // Then it catches up to the same table as the site that was never killed
        awaitConverged();
        for (int i = 0; i < keys; i++) {
            assertThat(sites.entity(EAST, p + i).path("vector").path(EAST).asLong()).isEqualTo(rounds);
        }
        // And its audit has every sequence number from 1 once, as many as its status counts
        List<AuditEvent> audit = sites.audit(EAST);
        ReconcilerStatus status = sites.status(EAST);
        assertThat(audit).hasSize((int) status.auditSequence());
        for (int i = 0; i < audit.size(); i++) {
            assertThat(audit.get(i).getSequence()).as("audit sequence at position " + i).isEqualTo(i + 1);
        }
        // And a decision id repeats only where the same input legitimately recurred (a redelivered or stale
        // event decides the same way again); under exactly_once_v2 no decision is repeated by the crash
        Set<String> seen = new HashSet<>();
        for (AuditEvent a : audit) {
            if (!seen.add(a.getDecisionId())) {
                assertThat(a.getKind()).as("repeated decision " + a.getDecisionId()).isIn(DecisionKind.DUPLICATE, DecisionKind.STALE);
            }
        }
        assertThat(audit.stream().filter(a -> a.getKey().startsWith(p) && a.getKind() == DecisionKind.DUPLICATE).count())
                .isGreaterThanOrEqualTo((long) rounds * (keys / 50));
    }

    @Test
    @Order(5)
    void aReplayFromTheBeginningReachesTheSameDigestAndDecisionIds() throws Exception {
        awaitConverged();
        for (String site : List.of(EAST, WEST)) {
            JsonNode live = sites.get(site, "/digest");
            List<String> liveIds = sites.audit(site).stream().map(AuditEvent::getDecisionId).toList();
            long t0 = System.nanoTime();
            ReplayResult replay = Replay.run(sites.replayConfig(site), lab.site(site).bootstrap(), lab.registryUrl(), Duration.ofMinutes(3));
            log.info("replay of {}: {} records, {} decisions in {} ms", site, replay.records(), replay.decisionIds().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(replay.digest()).as(site + " digest").isEqualTo(live.path("digest").asText());
            assertThat(replay.keys()).isEqualTo(live.path("keys").asLong());
            assertThat(replay.decisionIds()).as(site + " decision ids").isEqualTo(liveIds);
            assertThat(replay.decisionIds()).isNotEmpty();
        }
        // And the replay cleaned up after itself
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(EAST).bootstrap()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).noneMatch(t -> t.contains("replay-"));
        }
    }

    @Test
    @Order(6)
    void metricsArePrometheusTextWithTheSiteTag() throws Exception {
        var r = sites.raw(EAST, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("reconcile_conflicts_total{site=\"us-east\"}")
                .contains("reconcile_input_lag_records{site=\"us-east\",topic=\"changes\"}")
                .contains("kafka_stream");
        assertThat(sites.raw(EAST, "/entities/no-such-key").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void aCommittedOffsetBelowTheLogStartIsReportedAsAGapAndTopicsThatCannotSurviveABrokerLossAreRefused() throws Exception {
        // an application of its own on topics of its own at us-east, so the lab's reconcilers and topics are untouched
        String input = "gap" + id();
        Map<String, String> settings = new HashMap<>();
        settings.put(ReconcileConfig.SITE, EAST);
        settings.put(ReconcileConfig.BOOTSTRAP_SERVERS, lab.site(EAST).bootstrap());
        settings.put(ReconcileConfig.REGISTRY_URL, lab.registryUrl());
        settings.put(ReconcileConfig.APPLICATION_ID, "netsplit-reconcile-" + input);
        settings.put(ReconcileConfig.TOPIC_CHANGES, input);
        for (String[] out : new String[][] {{ReconcileConfig.TOPIC_CONVERGED, "-converged"}, {ReconcileConfig.TOPIC_AUDIT, "-audit"},
                {ReconcileConfig.TOPIC_DLQ, "-dlq"}, {ReconcileConfig.TOPIC_LOG, "-log"}, {ReconcileConfig.TOPIC_REDRIVE, "-redrive"}}) {
            settings.put(out[0], input + out[1]);
        }
        settings.put(ReconcileConfig.STATE_DIR, java.nio.file.Files.createTempDirectory(input).toString());
        settings.put(ReconcileConfig.GAP_CHECK_INTERVAL_MS, "500");
        TopicPartition partition = new TopicPartition(input, 0);
        String group = "netsplit-reconcile-" + input;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(EAST).bootstrap()))) {
            // Given ten records of which the application committed two, and offsets 2..6 deleted before it read them
            admin.createTopics(List.of(new NewTopic(input, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(EAST).bootstrap());
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    raw.send(new ProducerRecord<>(input, ("k" + i).getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)));
                }
                raw.flush();
            }
            // (on a one-broker site the reconciler refuses to start on topics that cannot keep a commit through a broker loss)
            assertThatThrownBy(() -> Reconciler.start(ReconcileConfig.parse(settings)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("topic " + input + "-converged: replication factor 1 < 3")
                    .hasMessageEndingWith("(set reconcile.durability.check=warn to start anyway)");
            settings.put(ReconcileConfig.DURABILITY_CHECK, "warn");
            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(2))).all().get(30, TimeUnit.SECONDS);
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(7))).all().get(30, TimeUnit.SECONDS);

            // When it starts
            try (Reconciler reconciler = Reconciler.start(ReconcileConfig.parse(settings));
                 ReconcilerHttpServer http = new ReconcilerHttpServer(reconciler, "127.0.0.1", 0)) {
                // Then the start-up check, before Kafka Streams read anything, reports exactly the deleted offsets
                ReconcilerStatus.InputGap gap = new ReconcilerStatus.InputGap(input, 0, 2, 5, reconciler.gaps().get(0).detectedAtMs());
                assertThat(reconciler.gaps()).containsExactly(gap);
                // and Kafka Streams goes on from the log start: the three records left are read (dead-lettered: not Avro)
                await().atMost(SETTLE).ignoreExceptions().untilAsserted(() -> {
                    assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                            .get(partition).offset()).isEqualTo(10);
                    assertThat(reconciler.status().counters().deadLettered()).isEqualTo(3);
                });
                // and the gap stays reported after the committed offset moved past the log start
                await().atMost(SETTLE).ignoreExceptions().untilAsserted(() ->
                        assertThat(reconciler.status().gaps()).containsExactly(gap));
                var metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).contains("reconcile_input_gap_offsets{partition=\"0\",site=\"us-east\",topic=\"" + input + "\"} 5.0");
                // leave the group on close, or deleting it below fails with "group not empty"
                reconciler.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            } finally {
                List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.startsWith(input) || t.startsWith(group)).toList();
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
                // after a failure above the group empties when its session times out
                await().atMost(SETTLE).ignoreExceptions().untilAsserted(() ->
                        admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS));
            }
        }
    }
}
