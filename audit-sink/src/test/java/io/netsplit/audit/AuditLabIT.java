package io.netsplit.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.netsplit.audit.lab.AuditLabComponent;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ConflictState;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Dot;
import io.netsplit.schemas.EventRef;
import io.netsplit.schemas.Hlc;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Sibling;
import io.netsplit.schemas.serde.AvroSerde;
import io.netsplit.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit sinks the lab runs (one JVM per site, SQLite in the run directory), driven through the
 * real {@code audit} topics and the commands an operator uses.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class AuditLabIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everySiteRunsAnAuditSinkListedInLabJson(Lab lab) throws Exception {
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        for (SiteDescriptor site : d.sites()) {
            String url = site.requireService(AuditLabComponent.SERVICE_KEY);
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = DecisionFormats.JSON.readTree(health.body());
            assertThat(body.get("site").asText()).isEqualTo(site.name());
            assertThat(body.get("store").asText()).endsWith("sites/" + site.name() + "/audit.db");
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("audit_records_stored_total{site=\"" + site.name() + "\"}");
        }
        assertThat(Files.isRegularFile(lab.runDir().resolve("sites/us-east/audit.db"))).isTrue();
    }

    @Test
    void theConflictCommandsAnswerFromTheLabSinks(Lab lab) throws Exception {
        // Given decisions of eu-west's reconciler on eu-west's audit topic
        String site = "eu-west";
        String prefix = "cmd-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<AuditEvent> events = new ArrayList<>();
        events.add(AuditFixtures.conflict(site, 1, prefix + "user42"));
        events.add(AuditFixtures.pendingManual(site, 2, prefix + "user7"));
        events.add(AuditFixtures.stale(site, 3, prefix + "user42"));
        KafkaFixtures.produce(lab.site(site).bootstrap(), lab.registryUrl(), "audit", events);
        String labDir = lab.runDir().toString();

        // Then list, show and export answer from the lab's sinks
        await().atMost(PATIENCE).until(() -> Cli.run("conflicts", "list", "--lab", labDir, "--site", site, "--all")
                .out().lines().filter(l -> l.contains(prefix)).count() == 3);
        Cli.Result list = Cli.run("conflicts", "list", "--lab", labDir);
        assertThat(list.out().lines().filter(l -> l.contains(prefix))).hasSize(2);
        Cli.Result pending = Cli.run("conflicts", "list", "--lab", labDir, "--pending", "--key", prefix + "user7");
        assertThat(pending.out().lines()).singleElement().asString().contains("eu-west#2").endsWith("PENDING");

        Cli.Result show = Cli.run("conflicts", "show", "d-" + prefix + "user42-1", "--lab", labDir);
        assertThat(show.exit()).as("%s", show).isZero();
        assertThat(show.out()).contains("(eu-west #1)", "winner     us-east:11", "candidates 2");

        Path csv = Files.createTempFile("conflicts", ".csv");
        Cli.Result export = Cli.run("conflicts", "export", "--lab", labDir, "--format", "csv", "--output",
                csv.toString(), "--key", prefix + "user42", "--all");
        assertThat(export.exit()).as("%s", export).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(3);

        // And bad input is one line and a non-zero exit
        Cli.Result unknown = Cli.run("conflicts", "show", "no-such-id", "--lab", labDir);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().lines()).singleElement().asString()
                .isEqualTo("netsplit conflicts show: no decision 'no-such-id' in the audit stores of us-east, eu-west");
        Cli.Result badTime = Cli.run("conflicts", "list", "--lab", labDir, "--since", "last tuesday");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err().lines()).hasSize(1);
        Cli.Result badPath = Cli.run("conflicts", "export", "--lab", labDir, "--output", "/proc/nope/out.json");
        assertThat(badPath.exit()).isEqualTo(1);
        assertThat(badPath.err().lines()).hasSize(1);
    }

    @Test
    void aLabSinkKilledWithSigkillMidStreamRestartsAndCompletesItsStore(EmbeddedLab lab) throws Exception {
        // Given us-east's reconciler writing decisions while the lab's sink reads them
        String site = "us-east";
        String bootstrap = lab.site(site).bootstrap();
        String sink = lab.site(site).requireService(AuditLabComponent.SERVICE_KEY);
        int total = 500;
        AtomicInteger produced = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread producer = Thread.ofPlatform().name("lab-audit-producer").start(() -> {
            try (KafkaProducer<String, AuditEvent> p = KafkaFixtures.producer(bootstrap, lab.registryUrl(), null)) {
                for (long s = 1; s <= total; s++) {
                    AuditEvent e = AuditFixtures.conflict(site, s, "crash-user" + (s % 11));
                    p.send(new ProducerRecord<>("audit", e.getKey(), e)).get(30, TimeUnit.SECONDS);
                    produced.incrementAndGet();
                }
            } catch (Exception e) {
                failures.add(e);
            }
        });
        try {
            await().atMost(PATIENCE).until(() -> stored(sink, site) >= 50);

            // When the sink is killed with SIGKILL mid-stream, and started again
            lab.kill("audit", site);
            long atCrash = produced.get();
            lab.restart("audit", site);
            producer.join(PATIENCE.toMillis());
            assertThat(failures).isEmpty();
            assertThat(atCrash).as("killed before the producer finished").isLessThan(total);

            // Then the store is complete, with every record exactly once
            String labDir = lab.runDir().toString();
            await().atMost(PATIENCE).until(() -> stored(sink, site) == total);
            Cli.Result verify = Cli.run("audit", "verify", "--lab", labDir, "--site", site);
            assertThat(verify.exit()).as("%s", verify).isZero();
            assertThat(verify.out()).contains("deciding site us-east sequences 1.." + total + ": " + total
                    + " stored, complete");
            Cli.Result all = Cli.run("conflicts", "export", "--lab", labDir, "--site", site);
            JsonNode exported = DecisionFormats.JSON.readTree(all.out());
            assertThat(exported.size()).isEqualTo(total);
        } finally {
            producer.join(PATIENCE.toMillis());
        }
    }

    @Test
    void resolveWritesTheKeptSiblingThroughTheSitesWriter(Lab lab) throws Exception {
        // Given a key pending at us-east, and a writer that records what it is asked
        String key = "resolve-" + UUID.randomUUID().toString().substring(0, 8);
        produceConverged(lab, "us-east", pendingRecord(key));
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer writer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        writer.createContext("/entities/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " "
                    + ex.getRequestHeaders().getFirst("Idempotency-Key") + " " + body);
            byte[] answer = "{\"dot\":{\"site\":\"us-east\",\"counter\":9}}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        writer.start();
        try {
            Path dir = Files.createTempDirectory("resolve-lab");
            LabDescriptor d = LabDescriptor.read(lab.runDir());
            for (SiteDescriptor s : d.sites()) {
                s.putService("writer", "http://127.0.0.1:" + writer.getAddress().getPort());
            }
            d.write(dir);

            // When an operator keeps eu-west's sibling, writing at us-east
            Cli.Result r = Cli.run("conflicts", "resolve", key, "--keep", "eu-west", "--site", "us-east", "--lab",
                    dir.toString());

            // Then the writer got one PUT of eu-west's fields
            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).contains("written at us-east").contains("superseding us-east:4, eu-west:3");
            assertThat(requests).singleElement().asString()
                    .startsWith("PUT /entities/" + key + " resolve-")
                    .contains("\"status\":\"offline\"").contains("\"seen\":7").doesNotContain("online");

            // And a site with no pending sibling, or a key without a conflict, is one line and no write
            Cli.Result mars = Cli.run("conflicts", "resolve", key, "--keep", "ap-south", "--site", "us-east", "--lab",
                    dir.toString());
            assertThat(mars.exit()).isEqualTo(2);
            assertThat(mars.err().lines()).singleElement().asString().contains("comes from ap-south");
            Cli.Result none = Cli.run("conflicts", "resolve", "never-written-" + key, "--keep", "eu-west", "--lab",
                    dir.toString());
            assertThat(none.exit()).isEqualTo(1);
            assertThat(none.err().lines()).singleElement().asString().contains("has no converged state at eu-west");
            assertThat(requests).hasSize(1);
        } finally {
            writer.stop(0);
        }
    }

    private static ConvergedRecord pendingRecord(String key) {
        Sibling us = Sibling.newBuilder().setDot(new Dot("us-east", 4L)).setOriginSite("us-east").setVersion(5L)
                .setVersionVector(Map.of("us-east", 4L, "eu-west", 2L)).setHlc(new Hlc(1L, 0)).setOp(Operation.UPSERT)
                .setFields(Map.of("status", "online")).build();
        java.util.LinkedHashMap<String, Object> euFields = new java.util.LinkedHashMap<>();
        euFields.put("status", "offline");
        euFields.put("seen", 7L);
        Sibling eu = Sibling.newBuilder().setDot(new Dot("eu-west", 3L)).setOriginSite("eu-west").setVersion(5L)
                .setVersionVector(Map.of("us-east", 3L, "eu-west", 3L)).setHlc(new Hlc(2L, 0)).setOp(Operation.UPSERT)
                .setFields(euFields).build();
        return ConvergedRecord.newBuilder().setKey(key).setFields(Map.of("status", "online")).setDeleted(false)
                .setVersionVector(Map.of("us-east", 4L, "eu-west", 3L)).setVersion(5L)
                .setWinner(new EventRef(new Dot("us-east", 4L), 5L, "us-east")).setConflictState(ConflictState.PENDING)
                .setSiblings(List.of(us, eu)).setPolicy("manual").setUpdatedBySite("us-east").build();
    }

    private static void produceConverged(Lab lab, String site, ConvergedRecord record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(site).bootstrap());
        AvroSerde<ConvergedRecord> serde = AvroSerde.configured(ConvergedRecord.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, lab.registryUrl()), false);
        try (KafkaProducer<String, ConvergedRecord> producer = new KafkaProducer<>(p, new StringSerializer(),
                serde.serializer())) {
            producer.send(new ProducerRecord<>("converged", record.getKey(), record)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Records of one deciding site the sink has stored, from its verify endpoint. */
    private static long stored(String sinkUrl, String decidingSite) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sinkUrl + "/audit/verify?site="
                    + decidingSite)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            JsonNode sites = DecisionFormats.JSON.readTree(r.body()).get("decidingSites");
            return sites.isEmpty() ? 0 : sites.get(0).get("stored").asLong();
        } catch (Exception e) {
            return -1;
        }
    }
}
