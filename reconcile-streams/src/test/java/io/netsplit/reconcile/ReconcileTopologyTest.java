package io.netsplit.reconcile;

import io.netsplit.reconcile.internal.AvroMapping;
import io.netsplit.reconcile.internal.MergeProcessor;
import io.netsplit.reconcile.internal.SiteSummary;
import io.netsplit.reconcile.merge.Change;
import io.netsplit.reconcile.merge.MergeTable;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.DecisionKind;
import io.netsplit.schemas.registry.InMemorySchemaRegistry;
import io.netsplit.schemas.registry.SchemaRegistryException;
import io.netsplit.schemas.serde.AvroSerde;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.netsplit.reconcile.ChangeEvents.delete;
import static io.netsplit.reconcile.ChangeEvents.upsert;
import static io.netsplit.reconcile.ChangeEvents.vv;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole topology on {@link TopologyTestDriver}: inputs by pattern, the ordered log, the merge, the three outputs. */
class ReconcileTopologyTest {

    @TempDir
    Path stateDir;

    private final String registry = "mock://reconcile-topology-test-" + UUID.randomUUID();
    private final AvroSerde<ChangeEvent> changeSerde = AvroSerde.configured(ChangeEvent.class, Map.of("schema.registry.url", registry), false);
    private final AvroSerde<ConvergedRecord> convergedSerde = AvroSerde.configured(ConvergedRecord.class, Map.of("schema.registry.url", registry), false);
    private final AvroSerde<AuditEvent> auditSerde = AvroSerde.configured(AuditEvent.class, Map.of("schema.registry.url", registry), false);
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private ReconcileConfig config(String site, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put(ReconcileConfig.SITE, site);
        p.put(ReconcileConfig.BOOTSTRAP_SERVERS, "unused:9092");
        p.put(ReconcileConfig.REGISTRY_URL, registry);
        p.put(ReconcileConfig.SITE_ORDER, "us-east,eu-west");
        p.put(ReconcileConfig.STATE_DIR, stateDir.resolve(site + "-" + drivers.size()).toString());
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return ReconcileConfig.parse(p);
    }

    /** One site's topology on a test driver. */
    private final class Site {
        final TopologyTestDriver driver;
        final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
        final TestOutputTopic<String, ConvergedRecord> converged;
        final TestOutputTopic<String, AuditEvent> audit;
        final TestOutputTopic<byte[], byte[]> dlq;

        Site(ReconcileConfig config) {
            driver = new TopologyTestDriver(ReconcileTopology.build(config), Reconciler.streamsProperties(config));
            drivers.add(driver);
            converged = driver.createOutputTopic("converged", new StringDeserializer(), convergedSerde.deserializer());
            audit = driver.createOutputTopic("audit", new StringDeserializer(), auditSerde.deserializer());
            dlq = driver.createOutputTopic("changes.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        TestInputTopic<byte[], byte[]> topic(String name) {
            return inputs.computeIfAbsent(name, n -> driver.createInputTopic(n, new ByteArraySerializer(), new ByteArraySerializer()));
        }

        /** Pipes an event to the topic its origin would reach this site by: local changes or the mirrored topic. */
        void pipe(String localSite, ChangeEvent e) {
            String t = e.getOriginSite().equals(localSite) ? "changes" : e.getOriginSite() + ".changes";
            topic(t).pipeInput(e.getKey().getBytes(StandardCharsets.UTF_8), changeSerde.serializer().serialize(t, e));
        }

        SiteSummary summary() {
            byte[] b = driver.<String, byte[]>getKeyValueStore(ReconcileTopology.SUMMARY_STORE).get(MergeProcessor.SUMMARY_KEY);
            return b == null ? SiteSummary.empty() : SiteSummary.decode(b);
        }
    }

    /** A scripted two-site history over a few keys: chains, concurrent updates, a delete, a three-way conflict. */
    private static List<ChangeEvent> history() {
        List<ChangeEvent> h = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            h.add(upsert("user42", "us-east", n, vv("us-east", n - 1), n, "status", "online", "n", (long) n));
        }
        h.add(upsert("user42", "eu-west", 1, vv("us-east", 5), 6, "status", "offline"));
        h.add(upsert("user42", "us-east", 7, vv("us-east", 6), 7, "status", "online"));
        h.add(upsert("cart7", "eu-west", 2, vv(), 1, "items", 1L));
        h.add(upsert("cart7", "us-east", 8, vv("eu-west", 2), 2, "items", 2L));
        h.add(delete("cart7", "eu-west", 3, vv("eu-west", 2), 2));
        h.add(upsert("doc1", "us-east", 9, vv(), 1, "title", "a"));
        h.add(upsert("doc1", "eu-west", 4, vv(), 1, "title", "b"));
        h.add(upsert("doc1", "eu-west", 5, vv("eu-west", 4), 2, "title", "c", "ok", true));
        h.add(upsert("doc1", "us-east", 10, vv("us-east", 9, "eu-west", 5), 3, "title", "d", "score", 1.5));
        return h;
    }

    @Test
    void shouldConvergeToTheSameTableWhateverTheOrderAndDuplicates() throws Exception {
        List<ChangeEvent> events = history();
        Site inOrder = new Site(config("us-east"));
        events.forEach(e -> inOrder.pipe("us-east", e));

        Map<String, ConvergedRecord> a = inOrder.converged.readKeyValuesToMap();
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            // Given the same events shuffled, with duplicates, arriving at the other site
            List<ChangeEvent> shuffled = new ArrayList<>(events);
            for (int i = 0; i < 5; i++) {
                shuffled.add(events.get(random.nextInt(events.size())));
            }
            Collections.shuffle(shuffled, random);
            Site other = new Site(config("eu-west"));
            // When it reconciles them
            shuffled.forEach(e -> other.pipe("eu-west", e));

            // Then its converged topic holds the same values and vectors, and the digests agree
            Map<String, ConvergedRecord> b = other.converged.readKeyValuesToMap();
            assertThat(b.keySet()).isEqualTo(a.keySet());
            for (String key : a.keySet()) {
                assertThat(b.get(key).getFields()).as(key).isEqualTo(a.get(key).getFields());
                assertThat(b.get(key).getVersionVector()).as(key).isEqualTo(a.get(key).getVersionVector());
                assertThat(b.get(key).getDeleted()).as(key).isEqualTo(a.get(key).getDeleted());
                assertThat(b.get(key).getConflictState()).as(key).isEqualTo(a.get(key).getConflictState());
            }
            assertThat(other.summary().digest()).isEqualTo(inOrder.summary().digest());
            assertThat(other.summary().frontier()).isEqualTo(inOrder.summary().frontier());
            assertThat(other.summary().duplicates()).isGreaterThanOrEqualTo(1);
            assertThat(other.summary().digest().count()).isEqualTo(3);
        }

        // And the digest is the merge core's digest of the same events
        MergeTable table = new MergeTable(config("us-east").mergeConfig());
        for (ChangeEvent e : events) {
            Change c = AvroMapping.toChange(e.getKey(), e, 1024);
            table.apply(c);
        }
        assertThat(inOrder.summary().digest()).isEqualTo(table.digest());
        assertThat(inOrder.summary().frontier()).isEqualTo(table.views().values().stream()
                .map(v -> v.vector()).reduce(io.netsplit.reconcile.merge.VersionVector.empty(), (x, y) -> x.join(y)));
    }

    @Test
    void shouldAuditEveryDecisionWithAGaplessSequence() {
        Site site = new Site(config("us-east"));
        List<ChangeEvent> events = history();
        events.forEach(e -> site.pipe("us-east", e));
        site.pipe("us-east", events.get(6)); // the eu-west write, delivered twice
        site.pipe("us-east", events.get(2)); // an old us-east write, now stale

        List<AuditEvent> audit = site.audit.readValuesToList();
        for (int i = 0; i < audit.size(); i++) {
            assertThat(audit.get(i).getSequence()).isEqualTo(i + 1);
            assertThat(audit.get(i).getDecidingSite()).isEqualTo("us-east");
        }
        SiteSummary s = site.summary();
        assertThat(audit).hasSize((int) s.sequence());
        assertThat(audit.stream().filter(a -> a.getKind() == DecisionKind.CONCURRENT_UPDATE || a.getKind() == DecisionKind.DELETE_VS_UPDATE))
                .hasSize((int) s.conflicts());
        // user42: us-east v7 "online" beats eu-west v6 "offline", and the decision names both
        AuditEvent user42 = audit.stream().filter(a -> a.getKey().equals("user42") && a.getKind() == DecisionKind.CONCURRENT_UPDATE)
                .reduce((first, last) -> last).orElseThrow();
        assertThat(user42.getWinner().getSite()).isEqualTo("us-east");
        assertThat(user42.getWinner().getCounter()).isEqualTo(7);
        assertThat(user42.getCandidates()).extracting(c -> c.getDot().getSite() + ":" + c.getDot().getCounter())
                .containsExactly("eu-west:1", "us-east:7");
        assertThat(audit).extracting(AuditEvent::getKind).contains(DecisionKind.DUPLICATE, DecisionKind.STALE, DecisionKind.DELETE_VS_UPDATE);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(s.stale()).isEqualTo(1);
        assertThat(s.compared()).isEqualTo(events.size() + 2);
        assertThat(s.merged()).isEqualTo(s.conflicts());
        assertThat(s.pending()).isZero();
    }

    @Test
    void shouldEmitConvergedOnlyWhenTheConvergedStateChanges() {
        Site site = new Site(config("us-east"));
        ChangeEvent v1 = upsert("k", "us-east", 1, vv(), 1, "a", "x");
        ChangeEvent v2 = upsert("k", "us-east", 2, vv("us-east", 1), 2, "a", "y");
        site.pipe("us-east", v1);
        site.pipe("us-east", v2);
        site.pipe("us-east", v2); // duplicate
        site.pipe("us-east", v1); // stale
        List<TestRecord<String, ConvergedRecord>> out = site.converged.readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getValue().getFields()).containsEntry("a", "y");
        assertThat(out.get(1).getValue().getVersion()).isEqualTo(2);
        assertThat(out.get(1).getValue().getUpdatedBySite()).isEqualTo("us-east");
        assertThat(out).allSatisfy(r -> assertThat(r.getValue()).isNotNull()); // never a tombstone
        assertThat(site.summary().applied()).isEqualTo(2);
        assertThat(site.summary().compared()).isEqualTo(4);
    }

    @Test
    void shouldNeverTombstoneADeletedKey() {
        Site site = new Site(config("us-east"));
        site.pipe("us-east", upsert("gone", "us-east", 1, vv(), 1, "a", "x"));
        site.pipe("us-east", delete("gone", "us-east", 2, vv("us-east", 1), 2));
        List<TestRecord<String, ConvergedRecord>> out = site.converged.readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getValue()).isNotNull();
        assertThat(out.get(1).getValue().getDeleted()).isTrue();
        assertThat(out.get(1).getValue().getVersionVector()).containsEntry("us-east", 2L);
    }

    @Test
    void shouldDeadLetterGarbageAndInvariantViolationsAndKeepProcessing() {
        Site site = new Site(config("us-east"));
        TestInputTopic<byte[], byte[]> changes = site.topic("changes");
        TestInputTopic<byte[], byte[]> remote = site.topic("eu-west.changes");
        byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        // Given garbage, a tombstone and events that break the invariants, between valid events
        site.pipe("us-east", upsert("k", "us-east", 1, vv(), 1, "a", "x"));
        changes.pipeInput(k, "{not avro}".getBytes(StandardCharsets.UTF_8));
        remote.pipeInput(k, (byte[]) null);
        ChangeEvent wrongKey = upsert("other", "eu-west", 1, vv(), 1, "a", "y");
        remote.pipeInput(k, changeSerde.serializer().serialize("eu-west.changes", wrongKey));
        ChangeEvent noOwnDot = upsert("k", "eu-west", 2, vv(), 1, "a", "y");
        noOwnDot.getVersionVector().remove("eu-west");
        remote.pipeInput(k, changeSerde.serializer().serialize("eu-west.changes", noOwnDot));
        ChangeEvent wrongOrigin = upsert("k", "eu-west", 3, vv(), 1, "a", "y");
        wrongOrigin.setOriginSite("us-east");
        remote.pipeInput(k, changeSerde.serializer().serialize("eu-west.changes", wrongOrigin));
        ChangeEvent badDelete = delete("k", "eu-west", 4, vv(), 1);
        badDelete.setFields(Map.of("a", "z"));
        remote.pipeInput(k, changeSerde.serializer().serialize("eu-west.changes", badDelete));
        site.pipe("us-east", upsert("k", "us-east", 2, vv("us-east", 1), 2, "a", "z"));

        // Then each is on the DLQ with its reason and source, and processing went on
        List<TestRecord<byte[], byte[]>> dead = site.dlq.readRecordsToList();
        assertThat(dead).hasSize(6);
        List<String> reasons = dead.stream().map(r -> header(r, MergeProcessor.DLQ_REASON)).toList();
        assertThat(reasons.get(0)).startsWith("cannot deserialize: ").contains("magic byte");
        assertThat(reasons.get(1)).contains("tombstone");
        assertThat(reasons.get(2)).contains("key mismatch");
        assertThat(reasons.get(3)).contains("does not contain its own dot");
        assertThat(reasons.get(4)).contains("origin site");
        assertThat(reasons.get(5)).contains("DELETE carries fields");
        assertThat(header(dead.get(0), MergeProcessor.DLQ_SOURCE_TOPIC)).isEqualTo("changes");
        assertThat(header(dead.get(0), MergeProcessor.DLQ_SOURCE_PARTITION)).isEqualTo("0");
        // (the test driver numbers offsets per pattern, not per topic: only check they are offsets)
        assertThat(header(dead.get(0), MergeProcessor.DLQ_SOURCE_OFFSET)).matches("[0-9]+");
        assertThat(header(dead.get(2), MergeProcessor.DLQ_SOURCE_TOPIC)).isEqualTo("eu-west.changes");
        assertThat(header(dead.get(2), MergeProcessor.DLQ_SOURCE_OFFSET)).matches("[0-9]+");
        assertThat(new String(dead.get(0).getValue(), StandardCharsets.UTF_8)).isEqualTo("{not avro}");
        assertThat(site.converged.readKeyValuesToMap().get("k").getFields()).containsEntry("a", "z");
        assertThat(site.summary().deadLettered()).isEqualTo(6);
        assertThat(site.summary().compared()).isEqualTo(2);
    }

    @Test
    void shouldQuarantineWhatWouldLoopForeverAndGoOnWithOtherKeys() {
        Site site = new Site(config("us-east", ReconcileConfig.MAX_STATE_BYTES, "2000"));
        // Given a key whose state would outgrow the limit, a key whose stored state is corrupt, an event
        // naming too many sites and one over the event size limit
        site.pipe("us-east", upsert("big", "us-east", 1, vv(), 1, "v", "x".repeat(700)));
        site.pipe("us-east", upsert("big", "eu-west", 1, vv(), 1, "v", "y".repeat(700)));
        site.pipe("us-east", upsert("rot", "us-east", 2, vv(), 1, "v", "ok"));
        site.driver.<String, byte[]>getKeyValueStore(ReconcileTopology.STATE_STORE).put("rot", new byte[] {1, 2, 3});
        site.pipe("us-east", upsert("rot", "eu-west", 2, vv(), 1, "v", "later"));
        Map<String, Long> wide = new HashMap<>();
        for (int i = 0; i < 70; i++) {
            wide.put("s" + i, 1L);
        }
        site.pipe("us-east", upsert("wide", "eu-west", 3, wide, 2, "v", "w"));
        site.topic("changes").pipeInput("huge".getBytes(StandardCharsets.UTF_8), new byte[io.netsplit.schemas.Limits.EVENT_BYTES + 1]);
        // and a later, ordinary key
        site.pipe("us-east", upsert("after", "us-east", 3, vv(), 1, "v", "fine"));

        // Then each is set aside on the DLQ with its reason, and the later key merged
        List<TestRecord<byte[], byte[]>> deadRecords = site.dlq.readRecordsToList();
        List<String> reasons = deadRecords.stream().map(r -> header(r, MergeProcessor.DLQ_REASON)).toList();
        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0)).startsWith("quarantined: merging it would make the state of key 'big' ")
                .contains("more than reconcile.max.state.bytes (2000)");
        assertThat(reasons.get(1)).startsWith("quarantined: the stored merge state of key 'rot' cannot be read");
        assertThat(reasons.get(2)).isEqualTo("version vector names 71 sites, more than reconcile.max.vector.sites (64)");
        assertThat(reasons.get(3)).isEqualTo("event of " + (io.netsplit.schemas.Limits.EVENT_BYTES + 1)
                + " bytes exceeds reconcile.max.event.bytes (" + io.netsplit.schemas.Limits.EVENT_BYTES + ")");
        Map<String, ConvergedRecord> converged = site.converged.readKeyValuesToMap();
        assertThat(converged.get("after").getFields()).containsEntry("v", "fine");
        assertThat(converged.get("big").getFields()).containsEntry("v", "x".repeat(700));
        assertThat(site.summary().deadLettered()).isEqualTo(4);
    }

    @Test
    void shouldRefuseGuardsBelowWhatAWriterMaySend() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> config("us-east", ReconcileConfig.MAX_KEY_BYTES, "256")))
                .hasMessageContaining(ReconcileConfig.MAX_KEY_BYTES);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> config("us-east", ReconcileConfig.MAX_EVENT_BYTES, "1000")))
                .hasMessageContaining(ReconcileConfig.MAX_EVENT_BYTES);
    }

    @Test
    void shouldKeepAManualConflictPendingUntilAnOperatorWriteDominatesIt() {
        Site site = new Site(config("us-east", ReconcileConfig.POLICY_DEFAULT, "manual"));
        site.pipe("us-east", upsert("m", "us-east", 1, vv(), 1, "v", "east"));
        site.pipe("us-east", upsert("m", "eu-west", 1, vv(), 1, "v", "west"));
        assertThat(site.summary().pending()).isEqualTo(1);
        assertThat(site.summary().merged()).isZero();
        ConvergedRecord pending = site.converged.readKeyValuesToMap().get("m");
        assertThat(pending.getConflictState()).isEqualTo(ConflictState.PENDING);
        assertThat(pending.getSiblings()).hasSize(2);

        site.pipe("us-east", upsert("m", "us-east", 2, vv("us-east", 1, "eu-west", 1), 2, "v", "agreed"));
        assertThat(site.summary().pending()).isZero();
        assertThat(site.summary().manualResolutions()).isEqualTo(1);
        ConvergedRecord resolved = site.converged.readKeyValuesToMap().get("m");
        assertThat(resolved.getConflictState()).isEqualTo(ConflictState.NONE);
        assertThat(resolved.getFields()).containsEntry("v", "agreed");
    }

    @Test
    void shouldSayInEveryAuditEventWhereItLeavesTheConflict() {
        // Given lww by default and the manual policy for keys starting with manual-
        Site site = new Site(config("us-east", ReconcileConfig.POLICY_DEFAULT, "lww",
                ReconcileConfig.POLICY_PREFIXES, "manual-=manual"));
        ChangeEvent east = upsert("plain", "us-east", 1, vv(), 1, "v", "east");

        // When: a conflict lww decides, a duplicate (no conflict), a manual conflict, and the write that ends it
        site.pipe("us-east", east);
        site.pipe("us-east", upsert("plain", "eu-west", 1, vv(), 1, "v", "west"));
        site.pipe("us-east", east);
        site.pipe("us-east", upsert("manual-m", "us-east", 2, vv(), 1, "v", "east"));
        site.pipe("us-east", upsert("manual-m", "eu-west", 2, vv(), 1, "v", "west"));
        site.pipe("us-east", upsert("manual-m", "us-east", 3, vv("us-east", 2, "eu-west", 2), 2, "v", "agreed"));

        // Then each decision carries its state, whatever the policy is called
        assertThat(site.audit.readValuesToList()).extracting(a -> a.getKey() + " " + a.getKind() + " " + a.getConflictState())
                .containsExactly(
                        "plain CONCURRENT_UPDATE RESOLVED",
                        "plain DUPLICATE NONE",
                        "manual-m CONCURRENT_UPDATE PENDING",
                        "manual-m MANUAL_RESOLUTION MANUALLY_RESOLVED");
    }

    @Test
    void shouldApplyPoliciesByKeyPrefix() {
        Site site = new Site(config("us-east", ReconcileConfig.POLICY_PREFIXES, "auth-=authoritative-site",
                ReconcileConfig.AUTHORITY, "eu-west,us-east"));
        site.pipe("us-east", upsert("auth-1", "us-east", 1, vv(), 5, "v", "east"));
        site.pipe("us-east", upsert("auth-1", "eu-west", 1, vv(), 1, "v", "west"));
        site.pipe("us-east", upsert("plain", "us-east", 2, vv(), 5, "v", "east"));
        site.pipe("us-east", upsert("plain", "eu-west", 2, vv(), 1, "v", "west"));
        Map<String, ConvergedRecord> out = site.converged.readKeyValuesToMap();
        assertThat(out.get("auth-1").getFields()).containsEntry("v", "west");
        assertThat(out.get("auth-1").getPolicy()).isEqualTo("authoritative-site");
        assertThat(out.get("plain").getFields()).containsEntry("v", "east");
        assertThat(out.get("plain").getPolicy()).isEqualTo("highest-version");
    }

    @Test
    void shouldCarryTheHighestClockReadingOfTheKeyAlsoWhenALoserHoldsIt() {
        // Given eu-west outranks us-east, and us-east's losing write has the later clock reading
        Site site = new Site(config("us-east", ReconcileConfig.POLICY_DEFAULT, "authoritative-site",
                ReconcileConfig.AUTHORITY, "eu-west,us-east"));
        site.pipe("us-east", upsert("k", "us-east", 1, vv(), 5, "v", "east"));
        site.pipe("us-east", upsert("k", "eu-west", 1, vv(), 1, "v", "west"));

        // Then the resolved record (no siblings) still names the loser's reading as the key's maximum
        ConvergedRecord r = site.converged.readKeyValuesToMap().get("k");
        assertThat(r.getFields()).containsEntry("v", "west");
        assertThat(r.getSiblings()).isEmpty();
        assertThat(r.getMaxHlc()).isEqualTo(new io.netsplit.schemas.Hlc(5_000L, 0));
    }

    /** The same wire-format bytes naming another schema id. */
    private static byte[] withSchemaId(byte[] payload, int id) {
        byte[] copy = payload.clone();
        java.nio.ByteBuffer.wrap(copy, 1, 4).putInt(id);
        return copy;
    }

    /** The first id the mock registry of this test does not know: the next it will hand out. */
    private InMemorySchemaRegistry mockRegistry() {
        return InMemorySchemaRegistry.scope(registry.substring(InMemorySchemaRegistry.MOCK_URL_PREFIX.length()));
    }

    private int nextUnknownId() {
        int id = 1;
        while (true) {
            try {
                mockRegistry().getSchemaById(id);
                id++;
            } catch (SchemaRegistryException e) {
                return id;
            }
        }
    }

    @Test
    void shouldRetryAnUnknownSchemaIdWithinItsBudgetThenDeadLetterItWithoutLettingLaterRecordsOvertake() {
        Site site = new Site(config("us-east", ReconcileConfig.UNKNOWN_SCHEMA_RETRY_MS, "300"));
        byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        site.pipe("us-east", upsert("k", "us-east", 1, vv(), 1, "a", "x"));
        int unknownId = nextUnknownId() + 100;
        // Given two events naming a schema id the registry does not know, then an ordinary event
        byte[] second = changeSerde.serializer().serialize("changes", upsert("k", "us-east", 2, vv("us-east", 1), 2, "a", "y"));
        site.topic("changes").pipeInput(k, withSchemaId(second, unknownId));
        site.topic("changes").pipeInput(k, withSchemaId(second, unknownId));
        site.pipe("us-east", upsert("j", "us-east", 3, vv(), 1, "a", "later"));

        // Then the first was looked up on the backoff schedule (100 + 200 ms of pauses fit 300 ms; 400 more would not)
        List<TestRecord<byte[], byte[]>> dead = site.dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(header(dead.get(0), MergeProcessor.DLQ_REASON))
                .startsWith("cannot deserialize: SerializationException: retries exhausted: unknown schema id " + unknownId)
                .endsWith("(3 look-ups over 300 ms of pauses, reconcile.unknown.schema.retry.ms=300)");
        // the second, naming the same exhausted id, after one look-up
        assertThat(header(dead.get(1), MergeProcessor.DLQ_REASON))
                .endsWith("(1 look-up; this id already exhausted its retries in this task)");
        assertThat(site.summary().retried()).isEqualTo(2);
        assertThat(site.summary().deadLettered()).isEqualTo(2);
        // and the later event was merged after them, the dead-lettered one not at all
        Map<String, ConvergedRecord> converged = site.converged.readKeyValuesToMap();
        assertThat(converged.get("j").getFields()).containsEntry("a", "later");
        assertThat(converged.get("k").getFields()).containsEntry("a", "x");
    }

    @Test
    void shouldDeadLetterAnUnknownSchemaIdAtOnceWithoutARetryBudget() {
        Site site = new Site(config("us-east", ReconcileConfig.UNKNOWN_SCHEMA_RETRY_MS, "0"));
        site.pipe("us-east", upsert("k", "us-east", 1, vv(), 1, "a", "x"));
        byte[] event = changeSerde.serializer().serialize("changes", upsert("k", "us-east", 2, vv("us-east", 1), 2, "a", "y"));
        site.topic("changes").pipeInput("k".getBytes(StandardCharsets.UTF_8), withSchemaId(event, nextUnknownId() + 100));
        assertThat(header(site.dlq.readRecordsToList().get(0), MergeProcessor.DLQ_REASON))
                .endsWith("(1 look-up over 0 ms of pauses, reconcile.unknown.schema.retry.ms=0)");
        assertThat(site.summary().retried()).isZero();
    }

    @Test
    void shouldMergeARedrivenDeadLetterOnceItsSchemaIsRegisteredAndOnlyOnce() throws Exception {
        Site site = new Site(config("us-east", ReconcileConfig.UNKNOWN_SCHEMA_RETRY_MS, "0"));
        byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        site.pipe("us-east", upsert("k", "us-east", 1, vv(), 1, "a", "x"));
        // Given an event from eu-west naming the id the registry will hand out next, dead-lettered
        int id = nextUnknownId();
        byte[] event = withSchemaId(changeSerde.serializer().serialize("eu-west.changes",
                upsert("k", "eu-west", 1, vv("us-east", 1), 2, "a", "from-eu")), id);
        site.topic("eu-west.changes").pipeInput(k, event);
        TestRecord<byte[], byte[]> dead = site.dlq.readRecord();
        assertThat(header(dead, MergeProcessor.DLQ_REASON)).contains("unknown schema id " + id);

        // When it is redriven before the schema exists, it is dead-lettered again, naming the offset it came from
        TestInputTopic<byte[], byte[]> redrive = site.topic("changes.redrive");
        redrive.pipeInput(redriven(dead, 0));
        TestRecord<byte[], byte[]> again = site.dlq.readRecord();
        assertThat(header(again, DeadLetters.REDRIVE_DLQ_OFFSET)).isEqualTo("0");
        assertThat(header(again, MergeProcessor.DLQ_REASON)).contains("unknown schema id " + id);

        // Then once a schema the event can be read with is registered under that id, a redrive merges it
        org.apache.avro.Schema variant = new org.apache.avro.Schema.Parser().parse(ChangeEvent.getClassSchema().toString());
        variant.addProp("netsplit.test", "a distinct schema, so the registry hands out a new id");
        assertThat(mockRegistry().register("throwaway-value", variant)).isEqualTo(id);
        redrive.pipeInput(redriven(dead, 0));
        ConvergedRecord merged = site.converged.readKeyValuesToMap().get("k");
        assertThat(merged.getFields()).containsEntry("a", "from-eu");
        assertThat(merged.getVersionVector()).containsEntry("eu-west", 1L).containsEntry("us-east", 1L);
        // and a second redrive of it changes nothing: the merge by dot knows it (a DUPLICATE decision)
        site.audit.readRecordsToList();
        redrive.pipeInput(redriven(dead, 0));
        assertThat(site.converged.isEmpty()).isTrue();
        assertThat(site.dlq.isEmpty()).isTrue();
        assertThat(site.audit.readRecordsToList()).extracting(r -> r.getValue().getKind()).containsExactly(DecisionKind.DUPLICATE);
        assertThat(site.summary().duplicates()).isEqualTo(1);
    }

    /** A dead letter as {@code dlq redrive} puts it back: its key and bytes, and where it came from. */
    private static TestRecord<byte[], byte[]> redriven(TestRecord<byte[], byte[]> dead, long dlqOffset) {
        org.apache.kafka.common.header.internals.RecordHeaders h = new org.apache.kafka.common.header.internals.RecordHeaders();
        h.add(DeadLetters.REDRIVE_DLQ_TOPIC, "changes.dlq".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetters.REDRIVE_DLQ_OFFSET, Long.toString(dlqOffset).getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetters.REDRIVE_SOURCE_TOPIC, dead.headers().lastHeader(MergeProcessor.DLQ_SOURCE_TOPIC).value());
        return new TestRecord<>(dead.key(), dead.value(), h);
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
