package io.netsplit.health.it;

import com.sun.net.httpserver.HttpServer;
import io.netsplit.health.Finding;
import io.netsplit.health.HealthChecker;
import io.netsplit.health.HealthClient;
import io.netsplit.health.HealthConfig;
import io.netsplit.health.HealthLabComponent;
import io.netsplit.health.HealthReport;
import io.netsplit.health.HealthStatus;
import io.netsplit.health.StatusChange;
import io.netsplit.health.cli.HealthCommand;
import io.netsplit.health.internal.Json;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.lab.TopicReader;
import io.netsplit.lab.cli.OneLineErrors;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.serde.AvroSerde;
import io.netsplit.writer.SiteWriterClient;
import io.netsplit.writer.SiteWriterException;
import io.netsplit.writer.WriteAck;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The checker on a real two-site lab (KRaft brokers, registry, MirrorMaker 2, links, reconcilers,
 * writers): the lab's own checker service (interval 1 s, threshold 3, see the pom) and, beside it, one
 * run as a library in this JVM with webhooks to receivers in this test. The writers refuse writes at a
 * diverged site ({@code writer.health.reject.when.diverged=true} in the pom).
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthIT {

    private static final String STATUS_TOPIC_IT = "health.status.it";

    private static HealthChecker library;
    private static HttpServer receivers;
    private static Socket nobody;
    private static final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> receivedByFlaky = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicInteger flakyCalls = new AtomicInteger();

    @AfterAll
    static void stopLibraryChecker() throws Exception {
        if (library != null) {
            library.close();
        }
        if (receivers != null) {
            receivers.stop(0);
        }
        if (nobody != null) {
            nobody.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void healthyAtRest(Lab lab) throws Exception {
        // Given some writes at both sites
        SiteWriterClient.forSite(lab, "us-east").put("rest-1", Map.of("status", "online"));
        SiteWriterClient.forSite(lab, "eu-west").put("rest-2", Map.of("status", "offline"));
        startLibraryChecker(lab);
        HealthClient checker = labChecker(lab);

        // Then the lab's checker says healthy once both writes are everywhere, with nothing worse than a note
        HealthReport r = await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(checker::current,
                c -> c.status() == HealthStatus.HEALTHY && c.sites().stream().allMatch(s -> s.table().keys() >= 2));
        assertThat(r.findings()).allMatch(f -> f.level() == HealthStatus.HEALTHY);
        assertThat(r.pairs()).containsEntry("eu-west|us-east", HealthStatus.HEALTHY);
        assertThat(r.sites()).allSatisfy(s -> {
            // the checker's reading of the topic sums to exactly the reconciler's own digest
            assertThat(s.table().digest()).isEqualTo(s.reconciler().digest());
            assertThat(s.table().keys()).isEqualTo(s.reconciler().keys());
        });

        // and so does the command, with exit code 0
        Cli cli = cli(lab, "health");
        assertThat(cli.code).as(cli.out + cli.err).isEqualTo(0);
        assertThat(cli.out).startsWith("health: healthy since ").contains("us-east->eu-west  up (");
        Cli json = cli(lab, "health", "--json");
        assertThat(Json.readReport(json.out).status()).isEqualTo(HealthStatus.HEALTHY);

        // check-now answers with a newer check
        Cli now = cli(lab, "health", "check-now");
        assertThat(now.code).isEqualTo(0);
        assertThat(now.out).contains("check #");
        assertThat(checker.current().checks()).isGreaterThan(r.checks());

        // and the metrics say it in Prometheus' words
        String metrics = checker.prometheus();
        assertThat(metrics).contains("netsplit_health_status{status=\"healthy\"} 1.0")
                .contains("netsplit_health_pair_status{pair=\"eu-west|us-east\",status=\"healthy\"} 1.0")
                .contains("netsplit_health_probe_duration_seconds_count{probe=\"link\",target=\"us-east->eu-west\"}")
                .contains("netsplit_health_probe_consecutive_failures{probe=\"broker\",target=\"eu-west\"} 0.0")
                .contains("netsplit_health_seconds_since_healthy")
                .contains("netsplit_health_convergence_lag_events{site=\"eu-west\"} 0.0");
        awaitStatus(new LibraryView(), HealthStatus.HEALTHY, Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void partitionedAfterIsolateNamingThePairThenHealthyOnceConverged(Lab lab) throws Exception {
        HealthClient checker = labChecker(lab);
        // the lab checker's settings (health/pom.xml)
        HealthConfig labConfig = HealthConfig.of(Map.of(HealthConfig.INTERVAL_MS, "1000", HealthConfig.FAILURE_THRESHOLD, "3",
                HealthConfig.PROBE_TIMEOUT_MS, "5000"));
        List<WriteAck> acks = new ArrayList<>();
        try (LinkControl links = LinkControls.fromDescriptor(lab.descriptor())) {
            // When the sites are isolated and both keep writing
            long cutAt = System.currentTimeMillis();
            links.isolate("us-east", "eu-west");
            try {
                acks.add(SiteWriterClient.forSite(lab, "us-east").put("split-1", Map.of("status", "online")));
                acks.add(SiteWriterClient.forSite(lab, "eu-west").put("split-1", Map.of("status", "offline")));
                acks.add(SiteWriterClient.forSite(lab, "eu-west").put("split-2", Map.of("n", 2L)));

                // Then the checker says partitioned within the detection time (plus a check's slack), naming the pair
                Duration detection = labConfig.detectionTime().plusSeconds(10);
                HealthReport r = awaitStatus(checker, HealthStatus.PARTITIONED, detection);
                System.out.printf("partition detected %d ms after the cut (configured detection time %d ms)%n",
                        r.checkedAtMs() - cutAt, labConfig.detectionTime().toMillis());
                Finding partition = r.findings().stream().filter(f -> f.kind().equals("partition")).findFirst().orElseThrow();
                assertThat(partition.sites()).containsExactlyInAnyOrder("us-east", "eu-west");
                assertThat(partition.links()).containsExactly("eu-west->us-east", "us-east->eu-west");
                assertThat(partition.text()).contains("eu-west<->us-east partitioned in both directions since");
                assertThat(partition.sinceMs()).isGreaterThanOrEqualTo(cutAt);
                assertThat(r.pairs()).containsEntry("eu-west|us-east", HealthStatus.PARTITIONED);
                Cli cli = cli(lab, "health");
                System.out.println("netsplit health during the partition:\n" + cli.out);
                assertThat(cli.code).as(cli.out).isEqualTo(4);
                assertThat(cli.out).startsWith("health: partitioned");
            } finally {
                links.heal("us-east", "eu-west");
            }
        }
        long healedAt = System.currentTimeMillis();

        // Then, once converged, healthy again, and it says how long that took
        HealthReport healthy = awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(90));
        System.out.printf("healthy %d ms after the heal%n", healthy.checkedAtMs() - healedAt);
        StatusChange back = lastChange(checker);
        assertThat(back.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(back.recoveredAfterMs()).as("%s", back).isNotNull();
        assertThat(back.evidence()).anyMatch(e -> e.contains("caught up") && e.contains("after the partition ended"));
        // every write of the partition is in every site's frontier by then
        for (var site : healthy.sites()) {
            for (WriteAck a : acks) {
                assertThat(site.reconciler().frontier().getOrDefault(a.dot().site(), 0L))
                        .as("%s has %s", site.site(), a.dot()).isGreaterThanOrEqualTo(a.dot().counter());
            }
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aSilentOneWayCutIsPartitionedNamingTheDirection(Lab lab) {
        HealthClient checker = labChecker(lab);
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(60));
        // the lab checker's settings (health/pom.xml)
        HealthConfig labConfig = HealthConfig.of(Map.of(HealthConfig.INTERVAL_MS, "1000", HealthConfig.FAILURE_THRESHOLD, "3",
                HealthConfig.PROBE_TIMEOUT_MS, "5000"));
        try (LinkControl links = LinkControls.fromDescriptor(lab.descriptor())) {
            // When eu-west stops hearing from us-east, silently (a blackhole: connections accepted, nothing answered)
            links.cutOneWay("us-east", "eu-west", CutStyle.BLACKHOLE);
            try {
                // Then partitioned, one way, in the right direction, within the detection time
                HealthReport r = awaitStatus(checker, HealthStatus.PARTITIONED, labConfig.detectionTime().plusSeconds(10));
                Finding cut = r.findings().stream().filter(f -> f.kind().equals("partition")).findFirst().orElseThrow();
                assertThat(cut.links()).containsExactly("us-east->eu-west");
                assertThat(cut.text()).contains("us-east->eu-west cut since").contains("one way: eu-west receives nothing from us-east")
                        .contains("no answer within " + labConfig.probeTimeoutMs() + " ms");
                assertThat(r.links()).filteredOn(l -> l.id().equals("eu-west->us-east")).singleElement()
                        .satisfies(l -> assertThat(l.probe().down()).isFalse());
            } finally {
                links.healOneWay("us-east", "eu-west");
            }
        }
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(90));
    }

    @Test
    @Order(4)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aLatencyToxicIsDegradedNotPartitioned(Lab lab) throws Exception {
        HealthClient checker = labChecker(lab);
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(60));
        // --watch prints the report, then one block per change; it runs until interrupted, as a user runs it
        StringWriter watchOut = new StringWriter();
        Thread watch = Thread.ofPlatform().name("health-watch").start(
                () -> cli(lab, watchOut, "health", "--watch", "--interval", "500ms"));
        try {
            // the latency goes on once the watch has fetched and printed the report it starts from
            await().atMost(Duration.ofSeconds(30)).until(() -> watchOut.toString().contains("\n"));
            try (LinkControl links = LinkControls.fromDescriptor(lab.descriptor())) {
                links.latency("us-east", "eu-west", Duration.ofMillis(1000), Duration.ZERO);
                try {
                    HealthReport r = awaitStatus(checker, HealthStatus.DEGRADED, Duration.ofSeconds(60));
                    assertThat(r.findings()).anyMatch(f -> f.kind().equals("slow-link") && f.links().equals(List.of("us-east->eu-west")));
                    // and it stays degraded, never partitioned, while the latency lasts: the checker records no change
                    // after the one to degraded. during() restarts its hold when the condition misses; the change log
                    // only grows, so after a miss the condition never holds again and the await fails.
                    StatusChange degraded = lastChange(checker);
                    assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
                    await("no status change after degraded while the latency lasts")
                            .during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(60))
                            .until(() -> lastChange(checker), c -> c.sequence() == degraded.sequence());
                    Cli cli = cli(lab, "health");
                    assertThat(cli.code).as(cli.out).isEqualTo(3);
                    // and the watch printed the change
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(
                            () -> assertThat(watchOut.toString()).contains("\nhealth: degraded"));
                } finally {
                    links.clearFaults("us-east", "eu-west");
                }
            }
        } finally {
            watch.interrupt();
            watch.join(Duration.ofSeconds(30));
        }
        assertThat(watch.isAlive()).as("--watch after an interrupt").isFalse();
        assertThat(watchOut.toString()).startsWith("health: healthy");
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(60));
    }

    @Test
    @Order(5)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aTamperedConvergedRecordIsDivergedAndTheDivergedSiteRefusesWrites(Lab lab) throws Exception {
        HealthClient checker = labChecker(lab);
        SiteWriterClient east = SiteWriterClient.forSite(lab, "us-east");
        SiteWriterClient west = SiteWriterClient.forSite(lab, "eu-west");
        east.put("tamper-1", Map.of("status", "original"));
        String westBootstrap = lab.site("eu-west").bootstrap();
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", lab.registryUrl());
        try (AvroSerde<ConvergedRecord> serde = AvroSerde.configured(ConvergedRecord.class, serdeConfig, false);
             KafkaProducer<String, ConvergedRecord> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", westBootstrap),
                     new StringSerializer(), serde.serializer())) {
            // Given tamper-1 converged at eu-west and the sites healthy
            ConvergedRecord original = await().atMost(Duration.ofSeconds(60)).until(
                    () -> newest(westBootstrap, "converged", "tamper-1", serde), v -> v != null);
            awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(60));

            // When somebody writes a different value straight to eu-west's converged topic
            Map<String, Object> originalFields = new HashMap<>(original.getFields());
            original.setFields(new HashMap<>(Map.of("status", "tampered")));
            producer.send(new ProducerRecord<>("converged", "tamper-1", original)).get();
            try {
                // Then the checker says diverged, naming eu-west and the key
                HealthReport r = awaitStatus(checker, HealthStatus.DIVERGED, Duration.ofSeconds(60));
                Finding d = r.findings().stream().filter(f -> f.kind().equals("divergence")).findFirst().orElseThrow();
                assertThat(d.sites()).containsExactly("eu-west");
                assertThat(d.text()).contains("1 key(s) differ, tamper-1 .. tamper-1").contains("differing site(s): eu-west");
                assertThat(r.pairs()).containsEntry("eu-west|us-east", HealthStatus.DIVERGED);
                Cli cli = cli(lab, "health");
                System.out.println("netsplit health after the tampering:\n" + cli.out);
                assertThat(cli.code).as(cli.out).isEqualTo(5);

                // and the diverged site's writer refuses writes with the reason; the other site's does not
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                        () -> west.put("after-tamper", Map.of("x", 1L)))
                        .isInstanceOfSatisfying(SiteWriterException.class, e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.getMessage()).contains("diverged");
                        }));
                // the library checker in this JVM sees it too (its webhooks are checked below)
                awaitStatus(new LibraryView(), HealthStatus.DIVERGED, Duration.ofSeconds(30));
                assertThat(east.put("after-tamper-east", Map.of("x", 1L)).status()).isBetween(200, 201);
            } finally {
                // When the record is put back as the reconciler wrote it
                original.setFields(originalFields);
                producer.send(new ProducerRecord<>("converged", "tamper-1", original)).get();
            }
        }
        // Then healthy again, and eu-west accepts writes again
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(west.put("after-repair", Map.of("x", 2L)).status())
                .isBetween(200, 201));
    }

    @Test
    @Order(6)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aKilledReconcilerIsDegradedUntilItRunsAgain(EmbeddedLab lab) {
        HealthClient checker = labChecker(lab);
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(60));
        // When eu-west's reconciler crashes
        lab.kill("reconciler", "eu-west");
        try {
            // Then degraded (the site's Kafka still answers: not a partition), naming it
            HealthReport r = awaitStatus(checker, HealthStatus.DEGRADED, Duration.ofSeconds(60));
            assertThat(r.findings()).anyMatch(f -> f.kind().equals("reconciler-down") && f.sites().equals(List.of("eu-west")));
        } finally {
            lab.restart("reconciler", "eu-west");
        }
        // and healthy again once it runs
        awaitStatus(checker, HealthStatus.HEALTHY, Duration.ofSeconds(120));
    }

    @Test
    @Order(7)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void webhooksGetExactlyOneEventPerStatusChangeInOrderAndAnUnreachableOneIsRetried(Lab lab) throws Exception {
        List<StatusChange> changes = library.changes();
        // the library checker went through everything above
        assertThat(changes.stream().map(StatusChange::status)).contains(HealthStatus.PARTITIONED, HealthStatus.DEGRADED,
                HealthStatus.DIVERGED, HealthStatus.HEALTHY);
        // The checker keeps running while this test reads (a catching-up site can still turn healthy), so
        // each webhook must have received exactly the changes the checker has made so far, compared
        // with one read of both sides per poll, not with a snapshot taken before the last change.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<StatusChange> made = library.changes();
            assertThat(new ArrayList<>(received).stream().map(Json::readChange).toList()).isEqualTo(made);
            assertThat(new ArrayList<>(receivedByFlaky).stream().map(Json::readChange).toList()).isEqualTo(made);
        });
        List<StatusChange> got = new ArrayList<>(received).stream().map(Json::readChange).toList();
        List<StatusChange> gotByFlaky = new ArrayList<>(receivedByFlaky).stream().map(Json::readChange).toList();
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).sequence()).isEqualTo(i + 1);
            assertThat(got.get(i).previous()).isEqualTo(i == 0 ? null : got.get(i - 1).status());
            assertThat(got.get(i).status()).isNotEqualTo(got.get(i).previous());
        }
        // the flaky receiver's first three answers were errors: those events came through on retries
        assertThat(flakyCalls.get()).isGreaterThanOrEqualTo(gotByFlaky.size() + 3);
        // the unreachable one is still being retried, and the checker kept checking all along
        var unreachable = library.webhooks().stream().filter(w -> w.url().contains("/nobody")).findFirst().orElseThrow();
        long checks = library.current().checks();
        assertThat(unreachable.failedAttempts()).isGreaterThanOrEqualTo(2);
        assertThat(unreachable.delivered()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> library.current().checks() > checks + 2);
        assertThat(library.prometheus()).contains("netsplit_health_webhook_failed_attempts_total{url=\"" + unreachable.url() + "\"}");

        // and the status topic of each site holds the same changes, in order, and between them heartbeats that
        // repeat the change before them (validity 3 s: one every second while a status lasts)
        for (String site : List.of("us-east", "eu-west")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<StatusChange> onTopic = all(lab.site(site).bootstrap(), STATUS_TOPIC_IT).stream()
                        .map(r -> Json.readChange(new String(r.value(), StandardCharsets.UTF_8))).toList();
                assertThat(onTopic.stream().filter(c -> c.type().equals(StatusChange.TYPE)).toList())
                        .isEqualTo(library.changes());
                StatusChange last = null;
                int heartbeats = 0;
                for (StatusChange c : onTopic) {
                    if (c.type().equals(StatusChange.HEARTBEAT)) {
                        assertThat(c).isEqualTo(last.heartbeat());
                        heartbeats++;
                    } else {
                        last = c;
                    }
                }
                assertThat(heartbeats).as("heartbeats on the status topic of " + site).isPositive();
            });
        }
    }

    // ---- helpers

    private static void startLibraryChecker(Lab lab) throws Exception {
        receivers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receivers.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receivers.createContext("/flaky", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (flakyCalls.incrementAndGet() <= 3) {
                ex.sendResponseHeaders(500, -1);
            } else {
                receivedByFlaky.add(new String(body, StandardCharsets.UTF_8));
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        receivers.start();
        // bound and never listening: refuses every connection while it is open, and no other socket (nor a
        // client of ours, as its own local port) can take the port meanwhile
        nobody = new Socket();
        nobody.bind(new InetSocketAddress("127.0.0.1", 0));
        String base = "http://127.0.0.1:" + receivers.getAddress().getPort();
        HealthConfig config = HealthConfig.of(Map.of(
                HealthConfig.NAME, "it-library",
                HealthConfig.INTERVAL_MS, "500",
                HealthConfig.STATUS_TOPIC, STATUS_TOPIC_IT,
                HealthConfig.STATUS_VALID_MS, "3000",
                HealthConfig.WEBHOOK_URLS, base + "/hook," + base + "/flaky,http://127.0.0.1:" + nobody.getLocalPort() + "/nobody",
                HealthConfig.WEBHOOK_BACKOFF_MS, "100",
                HealthConfig.WEBHOOK_BACKOFF_MAX_MS, "1000",
                HealthConfig.WEBHOOK_MAX_ATTEMPTS, "10000"));
        library = new HealthChecker(config, lab.descriptor()).start();
    }

    private static HealthClient labChecker(Lab lab) {
        return new HealthClient(lab.site("us-east").requireService(HealthLabComponent.NAME));
    }

    /** What both checkers offer to {@link #awaitStatus}. */
    private interface Reports {
        HealthReport current();
    }

    private static final class LibraryView implements Reports {
        @Override
        public HealthReport current() {
            return library.current();
        }
    }

    private static HealthReport awaitStatus(HealthClient client, HealthStatus status, Duration within) {
        return awaitStatus((Reports) () -> {
            try {
                return client.current();
            } catch (IllegalStateException e) {
                return null; // 503 until the first check has finished
            }
        }, status, within);
    }

    private static HealthReport awaitStatus(Reports reports, HealthStatus status, Duration within) {
        List<HealthReport> last = new ArrayList<>(List.of());
        try {
            return await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
                HealthReport r = reports.current();
                last.clear();
                if (r != null) {
                    last.add(r);
                }
                return r;
            }, r -> r != null && r.status() == status);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not " + status.label() + " within " + within + "; last report: "
                    + (last.isEmpty() ? "none" : String.join("\n", io.netsplit.health.HealthText.lines(last.get(0)))), e);
        }
    }

    private static StatusChange lastChange(HealthClient checker) throws Exception {
        var body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(checker.url() + "/changes")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        var node = Json.MAPPER.readTree(body).path("changes");
        return Json.MAPPER.treeToValue(node.get(node.size() - 1), StatusChange.class);
    }

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(Lab lab, String... args) {
        return cli(lab, new StringWriter(), args);
    }

    /** Runs the command with its output going to {@code out}, which another thread can read while it runs. */
    private static Cli cli(Lab lab, StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = OneLineErrors.install(new CommandLine(new HealthCommand()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args).subList(1, args.length));
        all.add("--lab");
        all.add(lab.runDir().toString());
        if (all.get(0).equals("check-now")) {
            // options belong to the parent command
            all.remove(0);
            all.add("check-now");
        }
        int code = cl.execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    private static ConvergedRecord newest(String bootstrap, String topic, String key, AvroSerde<ConvergedRecord> serde) {
        ConvergedRecord found = null;
        for (ConsumerRecord<String, byte[]> r : all(bootstrap, topic)) {
            if (key.equals(r.key()) && r.value() != null) {
                found = serde.deserializer().deserialize(topic, r.value());
            }
        }
        return found;
    }

    private static List<ConsumerRecord<String, byte[]>> all(String bootstrap, String topic) {
        return TopicReader.readAll(bootstrap, topic, new StringDeserializer(), new ByteArrayDeserializer(), Duration.ofSeconds(30));
    }
}
