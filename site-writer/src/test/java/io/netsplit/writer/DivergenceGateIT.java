package io.netsplit.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.writer.internal.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code writer.health.reject.when.diverged} against the lab's real broker: status-change events produced to
 * {@code health.status} with a plain producer, as the health checker publishes them, open and close the gate of an
 * in-process writer. Each test runs a writer for a site alias of its own (and its own changes topic) on us-east's
 * cluster, so the setting and the events disturb neither the lab's writers nor the other ITs.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class DivergenceGateIT {

    private static final String US = "us-east";
    private static final String HEALTH_TOPIC = "health.status";
    private static final int RETRY_AFTER_SECONDS = 7;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A writer for {@code site} on us-east's cluster that rejects writes while diverged. */
    private static SiteWriter startWriter(Lab lab, String site, String healthTopic) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(SiteWriterConfig.SITE, site);
        props.put(SiteWriterConfig.BOOTSTRAP_SERVERS, lab.site(US).bootstrap());
        props.put(SiteWriterConfig.SCHEMA_REGISTRY_URL, lab.registryUrl());
        props.put(SiteWriterConfig.HTTP_PORT, 0);
        props.put(SiteWriterConfig.CHANGES_TOPIC, "changes-" + site);
        props.put(SiteWriterConfig.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS);
        props.put(SiteWriterConfig.HEALTH_REJECT_WHEN_DIVERGED, true);
        props.put(SiteWriterConfig.HEALTH_TOPIC, healthTopic);
        props.put(SiteWriterConfig.DURABILITY_CHECK, "warn"); // the lab's one broker
        return SiteWriter.start(new SiteWriterConfig(props));
    }

    private static SiteWriterClient client(SiteWriter writer) {
        return new SiteWriterClient(writer.baseUrl(), null, Duration.ofSeconds(30));
    }

    @Test
    void writesAreRefusedWhileTheSiteIsDivergedAndAcceptedOnceTheCheckerReportsHealthy(Lab lab) throws Exception {
        // Given: a writer accepting writes, and the checker's topic as the checker creates it
        String site = unique("gate");
        String key = unique("user");
        createTopicIfAbsent(lab, HEALTH_TOPIC);
        try (SiteWriter writer = startWriter(lab, site, HEALTH_TOPIC)) {
            SiteWriterClient client = client(writer);
            List<WriteAck> acked = new ArrayList<>();
            acked.add(client.put(key, Map.of("n", 0)));

            // When: the health checker reports the site diverged
            Instant at = Instant.parse("2026-11-22T03:10:19.123Z");
            publish(lab, HEALTH_TOPIC, "netsplit-health", "diverged", List.of(site), at,
                    "converged topics differ on 1 key (" + key + ".." + key + "): " + site + " differs");

            // Then: writes are answered 503 with the reason and Retry-After, and reads still work
            String reason = "site " + site + " is diverged according to health checker netsplit-health since "
                    + at + ": converged topics differ on 1 key (" + key + ".." + key + "): " + site + " differs";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThatThrownBy(() -> client.put(key, Map.of("n", -1)))
                            .isInstanceOfSatisfying(SiteWriterException.Unavailable.class, e -> {
                                assertThat(e.status()).isEqualTo(503);
                                assertThat(e.error()).isEqualTo("diverged");
                                assertThat(e.getMessage()).contains(reason);
                                assertThat(e.retryAfterSeconds()).isEqualTo(RETRY_AFTER_SECONDS);
                            }));
            assertThatThrownBy(() -> client.patch(key, Map.of("n", -2)))
                    .isInstanceOf(SiteWriterException.Unavailable.class);
            assertThatThrownBy(() -> client.delete(key)).isInstanceOf(SiteWriterException.Unavailable.class);
            HttpResponse<String> raw = send(HttpRequest.newBuilder(URI.create(writer.baseUrl() + "/entities/" + key))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"n\":-3}")));
            assertThat(raw.statusCode()).isEqualTo(503);
            assertThat(raw.headers().firstValue("Retry-After")).contains(Integer.toString(RETRY_AFTER_SECONDS));
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", "diverged");
            error.put("message", reason);
            assertThat(raw.body()).isEqualTo(JSON.writeValueAsString(error));
            // the lab runs no reconciler here: the key is absent from the converged view, which GET says (not 503)
            assertThat(client.get(key)).isEmpty();
            HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(writer.baseUrl() + "/health")));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"rejectingWrites\":\"" + reason + "\"");

            // When: the checker reports the site healthy again
            publish(lab, HEALTH_TOPIC, "netsplit-health", "healthy", List.of(), Instant.now(), null);

            // Then: writes are accepted again
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                try {
                    acked.add(client.put(key, Map.of("n", 1)));
                    return true;
                } catch (SiteWriterException.Unavailable e) {
                    return false;
                }
            });
            acked.add(client.patch(key, Map.of("n", 2)));

            // and nothing of the refused writes reached Kafka: the key's events are exactly the acknowledged ones
            List<ChangeEvent> events = ChangesTopic.read(lab.site(US).bootstrap(), lab.registryUrl(),
                    "changes-" + site, key::equals);
            assertThat(events).extracting(e -> Vectors.fromAvro(e.getDot()))
                    .containsExactlyElementsOf(acked.stream().map(WriteAck::dot).toList());
            assertThat(events).extracting(e -> (Long) e.getFields().get("n")).containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void aCheckerReportingAnotherSiteDivergedDoesNotBlockWrites(Lab lab) throws Exception {
        // Given: a writer, and two checkers: one says another site is diverged, the other says this one is
        String site = unique("gate");
        String elsewhere = unique("checker-elsewhere");
        String here = unique("checker-here");
        createTopicIfAbsent(lab, HEALTH_TOPIC);
        try (SiteWriter writer = startWriter(lab, site, HEALTH_TOPIC)) {
            SiteWriterClient client = client(writer);
            publish(lab, HEALTH_TOPIC, elsewhere, "diverged", List.of("eu-west", unique("other")), Instant.now(),
                    "eu-west differs");
            publish(lab, HEALTH_TOPIC, here, "diverged", List.of(site), Instant.now(), site + " differs");

            // Then: the refusal names only the checker that implicates this site (so the other event has been read)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThatThrownBy(() -> client.put(unique("k"), Map.of("a", 1)))
                            .isInstanceOfSatisfying(SiteWriterException.Unavailable.class, e -> assertThat(e.getMessage())
                                    .contains("according to health checker " + here + " ")
                                    .doesNotContain(elsewhere).doesNotContain("other checker")));

            // When: the checker that implicates this site recovers, while the other still reports eu-west diverged
            publish(lab, HEALTH_TOPIC, here, "healthy", List.of(), Instant.now(), null);

            // Then: writes are accepted
            String key = unique("k");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreException(
                    SiteWriterException.Unavailable.class).until(() -> client.put(key, Map.of("a", 1)).status() == 201);
        }
    }

    @Test
    void aHealthTopicCreatedAfterTheWriterStartedIsFoundAndFollowed(Lab lab) throws Exception {
        // Given: a writer whose health topic does not exist yet: it accepts writes (fail-open)
        String site = unique("gate");
        String topic = unique("health.status");
        try (SiteWriter writer = startWriter(lab, site, topic)) {
            SiteWriterClient client = client(writer);
            assertThat(client.put(unique("k"), Map.of("a", 1)).status()).isEqualTo(201);

            // When: the checker creates the topic and reports the site diverged
            createTopicIfAbsent(lab, topic);
            publish(lab, topic, "netsplit-health", "diverged", List.of(), Instant.now(), "every site differs");

            // Then: the writer finds the topic and refuses writes
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThatThrownBy(() -> client.put(unique("k"), Map.of("a", 2)))
                            .isInstanceOfSatisfying(SiteWriterException.Unavailable.class,
                                    e -> assertThat(e.error()).isEqualTo("diverged")));
        }
    }

    @Test
    void aCheckerThatDiesWhileReportingDivergedStopsGatingOnceItsStatusRunsOut(Lab lab) throws Exception {
        // Given: a writer, and a checker that reports the site diverged, valid for 15 s, and then says nothing more
        String site = unique("gate");
        String checker = unique("checker-dies");
        createTopicIfAbsent(lab, HEALTH_TOPIC);
        try (SiteWriter writer = startWriter(lab, site, HEALTH_TOPIC)) {
            SiteWriterClient client = client(writer);
            publish(lab, HEALTH_TOPIC, checker, "diverged", List.of(site), Instant.now(), site + " differs", 15_000L);

            // Then: writes are refused while the status stands
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThatThrownBy(() -> client.put(unique("k"), Map.of("a", 1)))
                            .isInstanceOfSatisfying(SiteWriterException.Unavailable.class,
                                    e -> assertThat(e.getMessage()).contains(checker)));

            // And: with no heartbeat renewing it, the status runs out and writes are accepted again
            String key = unique("k");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreException(
                    SiteWriterException.Unavailable.class).until(() -> client.put(key, Map.of("a", 1)).status() == 201);
        }
    }

    /** One status-change event in the health checker's format, keyed by the checker's name. */
    private static void publish(Lab lab, String topic, String checker, String status, List<String> sites, Instant at,
                                String evidence) throws Exception {
        publish(lab, topic, checker, status, sites, at, evidence, null);
    }

    /** As above, stating how long the event stands ({@code validForMs}), or not when null. */
    private static void publish(Lab lab, String topic, String checker, String status, List<String> sites, Instant at,
                                String evidence, Long validForMs) throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        if (validForMs != null) {
            event.put("validForMs", validForMs);
        }
        event.put("type", "status-change");
        event.put("checker", checker);
        event.put("sequence", 4);
        event.put("status", status);
        event.put("previous", "healthy");
        event.put("atMs", at.toEpochMilli());
        event.put("at", at.toString());
        event.put("previousSinceMs", at.toEpochMilli() - 6277);
        event.put("previousDurationMs", 6277);
        event.put("sites", sites);
        event.put("links", List.of());
        event.put("evidence", evidence == null ? List.of() : List.of(evidence));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(US).bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, checker, JSON.writeValueAsString(event))).get(30, TimeUnit.SECONDS);
        }
    }

    /** The topic as the health checker creates it: one partition. */
    private static void createTopicIfAbsent(Lab lab, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(US).bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
