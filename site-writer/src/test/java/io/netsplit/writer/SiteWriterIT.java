package io.netsplit.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import io.netsplit.reconcile.merge.Causality;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.reconcile.merge.VersionVector;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.serde.AvroSerializer;
import io.netsplit.writer.internal.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The site-writer against the lab's real brokers and registry: the lab starts one writer process per site (through
 * {@link SiteWriterLabComponent}); tests isolate themselves by key. The broker-down test runs last.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteWriterIT {

    private static final String US = "us-east";

    private static SiteWriterClient client(Lab lab, String site) {
        return new SiteWriterClient(lab.site(site).requireService("writer"), null, Duration.ofSeconds(30));
    }

    private static List<ChangeEvent> changes(Lab lab, String site, Set<String> keys) {
        return ChangesTopic.read(lab.site(site).bootstrap(), lab.registryUrl(), "changes", keys::contains);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    @Order(1)
    void labListsOneHealthyWriterPerSite(Lab lab) {
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        assertThat(d.sites()).allSatisfy(s -> assertThat(s.service("writer")).isPresent());
        for (var site : lab.sites()) {
            SiteWriterClient c = client(lab, site.name());
            assertThat(c.healthy()).isTrue();
        }
    }

    @Test
    @Order(2)
    void sequentialWritesMintIncreasingDotsAndVersionsWithTheFullState(Lab lab) {
        SiteWriterClient us = client(lab, US);
        String key = unique("seq");

        WriteAck put = us.put(key, Map.of("status", "online", "n", 1));
        WriteAck patch = us.patch(key, Map.of("n", 2, "score", 1.5));
        WriteAck replace = us.put(key, Map.of("status", "away"));
        WriteAck delete = us.delete(key);

        assertThat(put.status()).isEqualTo(201);
        assertThat(List.of(patch.status(), replace.status(), delete.status())).containsOnly(200);
        List<WriteAck> acks = List.of(put, patch, replace, delete);
        assertThat(acks).extracting(WriteAck::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(acks).extracting(a -> a.dot().site()).containsOnly(US);
        assertThat(acks).extracting(a -> a.dot().counter()).isSorted().doesNotHaveDuplicates();
        for (WriteAck a : acks) {
            assertThat(a.vector()).isEqualTo(VersionVector.of(US, a.dot().counter()));
        }
        assertThat(acks).extracting(WriteAck::hlc).isSorted();

        List<ChangeEvent> events = changes(lab, US, Set.of(key));
        assertThat(events).hasSize(4);
        assertThat(events).extracting(e -> Vectors.fromAvro(e.getDot())).containsExactlyElementsOf(
                acks.stream().map(WriteAck::dot).toList());
        assertThat(events).extracting(ChangeEvent::getOp)
                .containsExactly(Operation.UPSERT, Operation.PATCH, Operation.UPSERT, Operation.DELETE);
        assertThat(events.get(0).getFields()).isEqualTo(Map.of("status", "online", "n", 1L));
        assertThat(events.get(1).getFields()).isEqualTo(Map.of("status", "online", "n", 2L, "score", 1.5));
        assertThat(events.get(1).getChangedFields()).containsExactly("n", "score");
        assertThat(events.get(2).getFields()).isEqualTo(Map.of("status", "away"));
        assertThat(events.get(2).getChangedFields()).containsExactly("n", "score", "status");
        assertThat(events.get(3).getFields()).isEmpty();
        assertThat(events.get(3).getChangedFields()).containsExactly("status");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getOriginSite()).isEqualTo(US);
            assertThat(e.getIdempotencyKey()).isNull();
            assertThat(e.getWallClockMillis()).isPositive();
        });
    }

    @Test
    @Order(3)
    void aWriteAfterObservingARemoteWriteDominatesIt(Lab lab) throws Exception {
        // Given: the site's converged view holds eu-west's write e1 (as the reconciler would put it there), stamped
        // by a clock ten minutes ahead of this site's
        SiteWriterClient us = client(lab, US);
        String key = unique("remote");
        io.netsplit.schemas.Hlc ahead = new io.netsplit.schemas.Hlc(System.currentTimeMillis() + 600_000L, 3);
        ConvergedRecord seen = ConvergedRecord.newBuilder()
                .setKey(key).setFields(new HashMap<>(Map.of("status", "offline", "city", "Paris")))
                .setDeleted(false).setVersionVector(new HashMap<>(Map.of("eu-west", 3L))).setVersion(6L)
                .setWinner(new EventRef(new io.netsplit.schemas.Dot("eu-west", 3L), 6L, "eu-west"))
                .setConflictState(ConflictState.NONE).setSiblings(new ArrayList<>()).setPolicy("highest-version")
                .setUpdatedBySite(US).setMaxHlc(ahead)
                .build();
        produceConverged(lab, US, seen);
        await().atMost(Duration.ofSeconds(60)).until(() -> us.get(key).isPresent());
        EntityView view = us.get(key).orElseThrow();
        assertThat(view.version()).isEqualTo(6);
        assertThat(view.vector()).isEqualTo(VersionVector.of("eu-west", 3));

        // When: a client writes the key at us-east
        WriteAck ack = us.patch(key, Map.of("status", "online"));

        // Then: the write dominates e1, its version is one higher, its HLC is past e1's (so it beats e1 under lww too),
        // and its state starts from e1's
        VersionVector remote = VersionVector.of("eu-west", 3);
        assertThat(ack.vector().compare(remote)).isEqualTo(Causality.AFTER);
        assertThat(ack.vector()).isEqualTo(VersionVector.of("eu-west", 3, US, ack.dot().counter()));
        assertThat(ack.version()).isEqualTo(7);
        assertThat(ack.hlc()).isGreaterThan(new Hlc(ahead.getPhysicalMillis(), ahead.getLogical()));
        assertThat(ack.status()).isEqualTo(200);
        ChangeEvent event = changes(lab, US, Set.of(key)).get(0);
        assertThat(event.getFields()).isEqualTo(Map.of("status", "online", "city", "Paris"));
        assertThat(event.getChangedFields()).containsExactly("status");
    }

    @Test
    @Order(4)
    void concurrentRequestsOnOneKeyGetDistinctDotsAndTotallyOrderedVectors(Lab lab) throws Exception {
        SiteWriterClient us = client(lab, US);
        String key = unique("concurrent");
        int n = 24;
        List<WriteAck> acks = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WriteAck>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int value = i;
                futures.add(pool.submit(() -> us.patch(key, Map.of("w" + value, value))));
            }
            for (Future<WriteAck> f : futures) {
                acks.add(f.get(60, TimeUnit.SECONDS));
            }
        }
        assertThat(acks).extracting(WriteAck::dot).doesNotHaveDuplicates();
        List<WriteAck> ordered = acks.stream().sorted(Comparator.comparingLong(a -> a.dot().counter())).toList();
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(ordered.get(i).vector().compare(ordered.get(i - 1).vector())).isEqualTo(Causality.AFTER);
            assertThat(ordered.get(i).version()).isEqualTo(ordered.get(i - 1).version() + 1);
        }
        assertThat(ordered.get(0).version()).isEqualTo(1);
        List<ChangeEvent> events = changes(lab, US, Set.of(key));
        assertThat(events).hasSize(n);
        // every write saw all earlier ones: the last event carries all n fields
        assertThat(events.get(n - 1).getFields()).hasSize(n);
    }

    @Test
    @Order(5)
    void idempotencyKeyRetriesReturnTheOriginalWriteAndIfMatchGuardsTheVersion(Lab lab) {
        SiteWriterClient us = client(lab, US);
        String key = unique("idem");
        String idem = unique("req");

        WriteAck first = us.put(key, Map.of("a", 1), WriteOptions.none().idempotencyKey(idem));
        WriteAck retry = us.put(key, Map.of("a", 1), WriteOptions.none().idempotencyKey(idem));
        assertThat(first.replayed()).isFalse();
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.dot()).isEqualTo(first.dot());
        assertThat(retry.vector()).isEqualTo(first.vector());
        assertThat(retry.status()).isEqualTo(201);
        assertThatThrownBy(() -> us.put(unique("idem-other"), Map.of("a", 1), WriteOptions.none().idempotencyKey(idem)))
                .isInstanceOf(SiteWriterException.InvalidRequest.class)
                .satisfies(e -> assertThat(((SiteWriterException) e).status()).isEqualTo(422));

        // the same Idempotency-Key with another body is another request: 422, nothing written
        assertThatThrownBy(() -> us.put(key, Map.of("a", 9), WriteOptions.none().idempotencyKey(idem)))
                .isInstanceOf(SiteWriterException.InvalidRequest.class)
                .satisfies(e -> assertThat(((SiteWriterException) e).status()).isEqualTo(422))
                .hasMessageContaining("different request");

        assertThatThrownBy(() -> us.patch(key, Map.of("a", 2), WriteOptions.none().ifMatch("1-0000000000000000")))
                .isInstanceOf(SiteWriterException.PreconditionFailed.class)
                .hasMessageContaining("has ETag \"" + first.etag() + "\"");
        assertThatThrownBy(() -> us.put(unique("absent"), Map.of("a", 2), WriteOptions.none().ifExists()))
                .isInstanceOf(SiteWriterException.PreconditionFailed.class);
        assertThatThrownBy(() -> us.put(key, Map.of("a", 2), WriteOptions.none().ifAbsent()))
                .isInstanceOf(SiteWriterException.PreconditionFailed.class);
        WriteAck guarded = us.patch(key, Map.of("a", 2), WriteOptions.none().ifMatch(first.etag()));
        assertThat(guarded.version()).isEqualTo(2);
        assertThat(guarded.etag()).isNotEqualTo(first.etag()).startsWith("2-");

        List<ChangeEvent> events = changes(lab, US, Set.of(key));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).getIdempotencyKey()).isEqualTo(idem);
    }

    @Test
    @Order(6)
    void everyInvalidInputIsRefusedWithItsStatusAndNothingIsWritten(Lab lab) throws Exception {
        String base = lab.site(US).requireService("writer");
        String p = unique("invalid");
        String big = "x".repeat(5000);
        String manyFields = java.util.stream.IntStream.range(0, 129).mapToObj(i -> "\"f" + i + "\":1")
                .collect(Collectors.joining(",", "{", "}"));
        record Case(String name, String method, String path, String contentType, String body, Map<String, String> headers,
                    int status, String error) {
        }
        String json = "application/json";
        List<Case> cases = List.of(
                new Case("malformed JSON", "PUT", p + "-1", json, "{\"a\":", Map.of(), 400, "invalid_json"),
                new Case("empty body", "PUT", p + "-2", json, "", Map.of(), 400, "invalid_json"),
                new Case("array body", "PUT", p + "-3", json, "[1,2]", Map.of(), 400, "invalid_type"),
                new Case("nested object", "PATCH", p + "-4", json, "{\"a\":{\"b\":1}}", Map.of(), 400, "invalid_type"),
                new Case("array value", "PUT", p + "-5", json, "{\"a\":[1]}", Map.of(), 400, "invalid_type"),
                new Case("huge integer", "PUT", p + "-6", json, "{\"a\":123456789012345678901234567890}", Map.of(),
                        400, "invalid_type"),
                new Case("duplicate field", "PUT", p + "-7", json, "{\"a\":1,\"a\":2}", Map.of(), 400, "invalid_json"),
                new Case("empty key", "PUT", "", json, "{\"a\":1}", Map.of(), 400, "invalid_key"),
                new Case("over-long key", "PUT", p + "-" + "k".repeat(300), json, "{\"a\":1}", Map.of(), 400,
                        "invalid_key"),
                new Case("too many fields", "PUT", p + "-8", json, manyFields, Map.of(), 413, "too_many_fields"),
                new Case("too large value", "PUT", p + "-9", json, "{\"a\":\"" + big + "\"}", Map.of(), 413,
                        "value_too_large"),
                new Case("too large body", "PUT", p + "-10", json, "{\"a\":\"" + "y".repeat(300_000) + "\"}", Map.of(),
                        413, "body_too_large"),
                new Case("not JSON", "PUT", p + "-11", "text/plain", "a=1", Map.of(), 415, "unsupported_media_type"),
                new Case("no content type", "PATCH", p + "-12", null, "{\"a\":1}", Map.of(), 415,
                        "unsupported_media_type"),
                new Case("unknown operation", "POST", p + "-13", json, "{\"a\":1}", Map.of(), 405, "method_not_allowed"),
                new Case("bad If-Match", "PUT", p + "-14", json, "{\"a\":1}", Map.of("If-Match", "abc"), 400,
                        "invalid_header"),
                new Case("bad Idempotency-Key", "DELETE", p + "-15", null, null, Map.of("Idempotency-Key", "a b"), 400,
                        "invalid_header"));
        HttpClient http = HttpClient.newHttpClient();
        for (Case c : cases) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/entities/" + c.path()))
                    .timeout(Duration.ofSeconds(30))
                    .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(c.body()));
            if (c.contentType() != null) {
                b.header("Content-Type", c.contentType());
            }
            c.headers().forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
            assertThat(r.body()).as(c.name()).contains("\"error\":\"" + c.error() + "\"").doesNotContain("\n");
            assertThat(r.body()).as(c.name() + " does not echo values").doesNotContain(big);
        }
        // a valid write after all of them, so the topic read below provably covers the attempts
        client(lab, US).put(p + "-valid", Map.of("ok", true));
        List<ChangeEvent> written = ChangesTopic.read(lab.site(US).bootstrap(), lab.registryUrl(), "changes",
                k -> k.startsWith(p));
        assertThat(written).extracting(ChangeEvent::getKey).containsExactly(p + "-valid");
    }

    @Test
    @Order(7)
    void healthAndMetricsAreServed(Lab lab) {
        SiteWriterClient us = client(lab, US);
        us.put(unique("metrics"), Map.of("a", 1));
        String metrics = us.metrics();
        assertThat(metrics).contains("writer_writes_total{").contains("site=\"us-east\"")
                .contains("writer_write_latency_seconds").contains("writer_dot_counter");
    }

    @Test
    @Order(7)
    void aWriteWhoseEventWouldOutgrowWhatReconcilersAcceptIsRefusedAndNothingIsWritten(Lab lab) {
        SiteWriterClient us = client(lab, US);
        String key = unique("grow");
        // Given a key whose state was built by patches, each well inside the body and value limits
        Map<String, Object> half = new java.util.TreeMap<>();
        for (int i = 0; i < 40; i++) {
            half.put("a" + i, "x".repeat(3_500));
        }
        WriteAck first = us.patch(key, half);
        Map<String, Object> more = new java.util.TreeMap<>();
        half.keySet().forEach(f -> more.put("b" + f, "y".repeat(3_500)));

        // When one more patch would make the key's full state larger than a reconciler accepts
        assertThatThrownBy(() -> us.patch(key, more))
                .isInstanceOfSatisfying(SiteWriterException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.error()).isEqualTo("event_too_large");
                })
                .hasMessageContaining(SiteWriterConfig.MAX_EVENT_BYTES);

        // Then nothing was written: the key still holds the first write only
        List<ChangeEvent> events = changes(lab, US, Set.of(key));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getDot().getCounter()).isEqualTo(first.dot().counter());
    }

    @Test
    @Order(8)
    void aSecondWriterForTheSameSiteFencesTheFirstAndNeverReusesItsDots(Lab lab) throws Exception {
        // in-JVM writers for a site of their own, on us-east's broker, with a topic of their own and a token
        String site = "fence-" + UUID.randomUUID().toString().substring(0, 6);
        String topic = "changes-" + site;
        Map<String, Object> props = new HashMap<>();
        props.put(SiteWriterConfig.SITE, site);
        props.put(SiteWriterConfig.BOOTSTRAP_SERVERS, lab.site(US).bootstrap());
        props.put(SiteWriterConfig.SCHEMA_REGISTRY_URL, lab.registryUrl());
        props.put(SiteWriterConfig.HTTP_PORT, 0);
        props.put(SiteWriterConfig.CHANGES_TOPIC, topic);
        props.put(SiteWriterConfig.AUTH_TOKEN, "s3cret");
        props.put(SiteWriterConfig.DURABILITY_CHECK, "warn"); // the lab's one broker
        SiteWriterConfig config = new SiteWriterConfig(props);
        String key = unique("fenced");
        try (SiteWriter first = SiteWriter.start(config)) {
            SiteWriterClient a = new SiteWriterClient(first.baseUrl(), "s3cret", Duration.ofSeconds(30));
            assertThatThrownBy(() -> new SiteWriterClient(first.baseUrl()).put(key, Map.of("x", 1)))
                    .isInstanceOf(SiteWriterException.Unauthorized.class);
            assertThatThrownBy(() -> new SiteWriterClient(first.baseUrl(), "wrong", Duration.ofSeconds(10))
                    .put(key, Map.of("x", 1))).isInstanceOf(SiteWriterException.Unauthorized.class);
            List<WriteAck> before = List.of(a.put(key, Map.of("x", 1)), a.put(key, Map.of("x", 2)),
                    a.put(key, Map.of("x", 3)));

            try (SiteWriter second = SiteWriter.start(config)) {
                SiteWriterClient b = new SiteWriterClient(second.baseUrl(), "s3cret", Duration.ofSeconds(30));
                assertThatThrownBy(() -> a.put(key, Map.of("x", 99)))
                        .isInstanceOf(SiteWriterException.Unavailable.class);
                await().atMost(Duration.ofSeconds(30)).until(first::isFenced);
                assertThatThrownBy(() -> a.put(key, Map.of("x", 100)))
                        .isInstanceOf(SiteWriterException.Unavailable.class).hasMessageContaining("fenced");

                WriteAck after = b.put(key, Map.of("x", 4));
                long maxBefore = before.stream().mapToLong(w -> w.dot().counter()).max().orElseThrow();
                assertThat(after.dot().counter()).isGreaterThan(maxBefore);
                assertThat(after.version()).isEqualTo(4);
                assertThat(after.vector().compare(before.get(2).vector())).isEqualTo(Causality.AFTER);
            }
        }
        List<ChangeEvent> events = ChangesTopic.read(lab.site(US).bootstrap(), lab.registryUrl(), topic, k -> true);
        assertThat(events).extracting(e -> e.getFields().get("x")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events).extracting(e -> e.getDot().getCounter()).doesNotHaveDuplicates();
    }

    @Test
    @Order(9)
    void restartingTheWriterMidStreamNeverReusesADotAndKeepsIdempotencyKeys(EmbeddedLab lab) throws Exception {
        SiteWriterClient us = client(lab, US);
        String prefix = unique("restart");
        String history = prefix + "-history";
        String idem = unique("restart-req");
        WriteAck remembered = us.put(history, Map.of("v", 1), WriteOptions.none().idempotencyKey(idem));
        us.put(history, Map.of("v", 2));

        // a client writing continuously while the writer is killed and restarted
        List<WriteAck> acked = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = Thread.ofVirtual().start(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    acked.add(us.put(prefix + "-" + (i % 5), Map.of("i", i)));
                } catch (SiteWriterException.Unavailable e) {
                    sleep(100);
                }
                i++;
            }
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 20);
            int beforeKill = acked.size();
            lab.kill("writer", US);
            long maxBeforeKill = acked.stream().mapToLong(a -> a.dot().counter()).max().orElseThrow();
            lab.restart("writer", US);
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= beforeKill + 20);
            stop.set(true);
            load.join(30_000);
            assertThat(acked.stream().filter(a -> a.dot().counter() > maxBeforeKill)).isNotEmpty();
        } finally {
            stop.set(true);
        }

        // the Idempotency-Key survived the restart, and the key's history continued
        WriteAck retried = us.put(history, Map.of("v", 1), WriteOptions.none().idempotencyKey(idem));
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.dot()).isEqualTo(remembered.dot());
        // and so did the request it was used for: the same key with another body is still refused
        assertThatThrownBy(() -> us.put(history, Map.of("v", 99), WriteOptions.none().idempotencyKey(idem)))
                .isInstanceOf(SiteWriterException.InvalidRequest.class)
                .satisfies(e -> assertThat(((SiteWriterException) e).status()).isEqualTo(422));
        WriteAck third = us.put(history, Map.of("v", 3));
        assertThat(third.version()).isEqualTo(3);

        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            keys.add(prefix + "-" + i);
        }
        keys.add(history);
        List<ChangeEvent> events = changes(lab, US, keys);
        List<Dot> dots = events.stream().map(e -> Vectors.fromAvro(e.getDot())).toList();
        assertThat(dots).doesNotHaveDuplicates();
        assertThat(dots).containsAll(acked.stream().map(WriteAck::dot).toList());
        assertThat(events.stream().filter(e -> idem.equals(e.getIdempotencyKey()))).hasSize(1);
    }

    @Test
    @Order(10)
    void withTheBrokerDownWritesGet503AndResumeWithNothingLostOrDuplicated(EmbeddedLab lab) throws Exception {
        // the writer bounds its own wait for Kafka (writer.request.timeout.ms, 15 s); this client waits 30 s, so a
        // writer that never answers fails the status check below as status 0 (no answer), not as a slow 503
        SiteWriterClient us = client(lab, US);
        String key = unique("down");
        List<WriteAck> acked = new ArrayList<>();
        acked.add(us.put(key, Map.of("n", 0)));

        lab.kill("broker", US);
        try {
            assertThatThrownBy(() -> us.put(key, Map.of("n", -1)))
                    .isInstanceOfSatisfying(SiteWriterException.Unavailable.class, e -> {
                        assertThat(e.status()).as(e.getMessage()).isEqualTo(503);
                        assertThat(e.error()).isEqualTo("unavailable");
                        assertThat(e.retryAfterSeconds()).isPositive();
                    });
            // once the writer reports Kafka lost (GET /health), a write is refused on that ground: 503 naming Kafka
            // as unreachable, nothing written (how fast that answer comes is for the benchmarks)
            await().atMost(Duration.ofSeconds(60)).until(() -> !us.healthy());
            assertThatThrownBy(() -> us.put(key, Map.of("n", -2)))
                    .isInstanceOfSatisfying(SiteWriterException.Unavailable.class, e -> {
                        assertThat(e.status()).as(e.getMessage()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("Kafka is unreachable").endsWith("; nothing written");
                    });
        } finally {
            lab.restart("broker", US);
        }
        int[] n = {1};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                acked.add(us.put(key, Map.of("n", n[0]++)));
                return true;
            } catch (SiteWriterException.Unavailable e) {
                return false;
            }
        });
        acked.add(us.put(key, Map.of("n", 1000)));

        List<ChangeEvent> events = changes(lab, US, Set.of(key));
        List<Dot> dots = events.stream().map(e -> Vectors.fromAvro(e.getDot())).toList();
        assertThat(dots).doesNotHaveDuplicates();
        assertThat(dots).containsAll(acked.stream().map(WriteAck::dot).toList());
        // every event that exists was acknowledged: refused writes left nothing behind
        assertThat(events).extracting(e -> (Long) e.getFields().get("n")).allMatch(v -> v >= 0);
        assertThat(acked.get(acked.size() - 1).version()).isEqualTo(events.size());
    }

    /**
     * 2,000 PUTs of 256 KiB at once (500 MiB of bodies) against the writer's 256 MiB heap: the in-flight body budget
     * answers what it cannot hold 503 without reading it into memory, the rest are read and refused 413 (a value over
     * writer.max.value.bytes); nothing is written, and the writer is alive and ready afterwards.
     */
    @Test
    @Order(11)
    void aBurstOfLargeConcurrentWritesGetsOnly413Or503AndTheWriterStaysUp(Lab lab) throws Exception {
        String base = lab.site(US).requireService("writer");
        long counterBefore = dotCounter(base);
        byte[] body = ("{\"blob\":\"" + "x".repeat(256 * 1024 - 11) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body.length).isEqualTo(256 * 1024);
        // raw HTTP/1.1, one connection per request (Connection: close): no client-side pooling race in the count
        URI uri = URI.create(base);
        String key = unique("burst");
        Map<String, Long> byStatus;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                String path = "/entities/" + key + "-" + (i % 50);
                answers.add(clients.submit(() -> rawPut(uri, path, body)));
            }
            byStatus = new java.util.TreeMap<>();
            for (Future<String> f : answers) {
                byStatus.merge(f.get(), 1L, Long::sum);
            }
        }
        System.out.println("2,000 concurrent 256 KiB PUTs: answers by status " + byStatus);
        assertThat(byStatus.keySet()).isSubsetOf("413", "503").contains("413");
        assertThat(client(lab, US).healthy()).isTrue();
        assertThat(dotCounter(base)).isEqualTo(counterBefore);
    }

    /** A client that sends half a request and stalls is cut off after writer.http.read.timeout.ms (20 s here). */
    @Test
    @Order(12)
    void aClientThatStallsMidRequestIsCutOff(Lab lab) throws Exception {
        URI base = URI.create(lab.site(US).requireService("writer"));
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(120_000); // far past the cut-off: a timeout here means the writer never cut us off
            String head = "PUT /entities/" + unique("slow") + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long t0 = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1; // closed with a reset: cut off all the same
            }
            System.out.printf("stalled client cut off after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(read).as("the writer closed the connection without an answer").isEqualTo(-1);
        }
        assertThat(client(lab, US).healthy()).isTrue();
    }

    /** One PUT on a connection of its own; the answer's status code, or what went wrong instead. */
    private static String rawPut(URI base, String path, byte[] body) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 120_000);
            socket.setSoTimeout(120_000);
            String head = "PUT " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            var out = socket.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            String status = in.readLine();
            return status == null ? "closed without an answer" : status.split(" ")[1];
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long dotCounter(String base) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("dotCounter").asLong();
    }

    private static void produceConverged(Lab lab, String site, ConvergedRecord record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(site).bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (AvroSerializer<ConvergedRecord> serializer = new AvroSerializer<>();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            serializer.configure(Map.of("schema.registry.url", lab.registryUrl()), false);
            producer.send(new ProducerRecord<>("converged", record.getKey(),
                    serializer.serialize("converged", record))).get(30, TimeUnit.SECONDS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
