package io.netsplit.drills.it;

import io.netsplit.kit.TopicName;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.reconcile.ReconcilerLabComponent;
import io.netsplit.reconcile.client.ReconcilerClient;
import io.netsplit.reconcile.internal.MergeProcessor;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Limits;
import io.netsplit.schemas.Topic;
import io.netsplit.schemas.Topics;
import io.netsplit.writer.EntityView;
import io.netsplit.writer.SiteWriterClient;
import io.netsplit.writer.WriteAck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every three-site scenario of the library (listed, as {@code DrillLibraryIT} lists the two-site
 * ones) on a three-site lab: its own failsafe execution, {@code -Dlab.sites=us-east,eu-west,ap-south},
 * with {@code reconcile.policy.prefixes=manual-=manual}. Then no endless loop on three sites (issue #15,
 * part 4): concurrent maximum-size writes to one {@code manual-} key.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeSitesIT {

    private static final Logger log = LoggerFactory.getLogger(ThreeSitesIT.class);
    private static final List<String> SITES = List.of("us-east", "eu-west", "ap-south");
    /** Fields of {@link #VALUE_CHARS} characters (under writer.max.value.bytes, 4096): an event within 1.5 KiB of Limits.EVENT_BYTES. */
    private static final int FIELDS = 65;
    private static final int VALUE_CHARS = 4_000;

    static List<String> threeSiteScenarios() {
        return DrillHarness.library(DrillHarness.THREE_SITES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threeSiteScenarios")
    @Order(1)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeSitesConverge(String name, Lab lab) {
        DrillHarness.Outcome o = DrillHarness.run(lab, DrillHarness.scenario(name));
        assertThat(o.report().passed()).as(o.failures()).isTrue();
        assertThat(o.report().digests()).hasSize(3);
        assertThat(o.report().digests().values()).containsOnly(o.report().digests().get("us-east"));
    }

    /**
     * Three maximum-size writes to one {@code manual-} key, one from each site at once, cannot all fit one key's merge
     * state ({@code reconcile.max.state.bytes}): wherever two of them meet, the one that would outgrow it is
     * quarantined to the site's dead-letter topic with its reason instead of failing the stream thread on every
     * restart. Runs last: a quarantined event leaves that key different between sites until it is re-driven, which
     * a library scenario's digest check would see.
     */
    @Test
    @Order(2)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentMaximumSizeWritesToOneManualKeyDoNotStopAnyReconciler(Lab lab) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String big = "manual-max-" + id;
        Map<String, SiteWriterClient> writers = new TreeMap<>();
        for (String site : SITES) {
            writers.put(site, SiteWriterClient.forSite(lab, site));
        }

        // Given every site writes the largest entity its writer accepts to the same key at once
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<WriteAck>> writes = new ArrayList<>();
        for (String site : SITES) {
            writes.add(CompletableFuture.supplyAsync(() -> {
                awaitStart(start);
                return writers.get(site).put(big, largest(site));
            }));
        }
        start.countDown();
        List<Dot> acknowledged = new ArrayList<>();
        for (CompletableFuture<WriteAck> w : writes) {
            acknowledged.add(w.get(2, TimeUnit.MINUTES).dot());
        }

        // When every site then writes a later key
        Map<String, Dot> later = new TreeMap<>();
        for (String site : SITES) {
            later.put("later-" + id + "-" + site, writers.get(site).put("later-" + id + "-" + site, Map.of("from", site)).dot());
        }

        // Then every reconciler drains its input, the later keys are merged everywhere, and at every site each
        // large write is merged into the key or set aside in the dead-letter topic with the reason
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            for (String site : SITES) {
                assertThat(new ReconcilerClient(site, lab.site(site).requireService(ReconcilerLabComponent.NAME))
                        .status().inputLag()).as("%s input lag", site).isZero();
                for (Map.Entry<String, Dot> e : later.entrySet()) {
                    Optional<EntityView> v = writers.get(site).get(e.getKey());
                    assertThat(v).as("%s at %s", e.getKey(), site).isPresent();
                    assertThat(v.get().vector().contains(e.getValue())).as("%s at %s has %s", e.getKey(), site, e.getValue()).isTrue();
                    assertThat(v.get().fields()).containsEntry("from", e.getValue().site());
                }
                Map<Dot, String> quarantined = deadLetters(lab, site, big);
                assertThat(quarantined.values()).as("dead letters of %s at %s", big, site)
                        .allMatch(reason -> reason.startsWith("quarantined: merging it would make the state of key '" + big + "'"));
                Optional<EntityView> merged = writers.get(site).get(big);
                assertThat(merged).as("%s at %s", big, site).isPresent();
                for (Dot d : acknowledged) {
                    assertThat(merged.get().vector().contains(d) || quarantined.containsKey(d))
                            .as("%s at %s: merged (vector %s) or quarantined (%s)", d, site, merged.get().vector(), quarantined.keySet())
                            .isTrue();
                }
                log.info("{}: {} quarantined at {}, vector {}", big, quarantined.keySet(), site, merged.get().vector());
            }
        });
    }

    /** The largest entity the writer accepts: {@value #FIELDS} string fields just under its value limit. */
    private static Map<String, Object> largest(String site) {
        Map<String, Object> fields = new TreeMap<>();
        String value = site.repeat(VALUE_CHARS / site.length() + 1).substring(0, VALUE_CHARS);
        for (int i = 0; i < FIELDS; i++) {
            fields.put(String.format("f%02d", i), value);
        }
        long approxEventBytes = (long) FIELDS * (3 + 1 + 1 + 2 + VALUE_CHARS + 4);
        assertThat(approxEventBytes).isBetween(Limits.EVENT_BYTES - 2_048L, (long) Limits.EVENT_BYTES);
        return fields;
    }

    private static void awaitStart(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The dead letters of {@code key} at {@code site}, committed ones only: the dot of each with its reason. */
    private static Map<Dot, String> deadLetters(Lab lab, String site, String key) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(site).bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<Dot, String> out = new TreeMap<>();
        String dlq = TopicName.DLQ.defaultName();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             Topic<String, ChangeEvent> changes = Topics.changes(Topics.registry(lab.registryUrl()))) {
            List<TopicPartition> parts = c.partitionsFor(dlq).stream().map(p -> new TopicPartition(dlq, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        ChangeEvent e = changes.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        Header reason = r.headers().lastHeader(MergeProcessor.DLQ_REASON);
                        out.put(new Dot(e.getDot().getSite(), e.getDot().getCounter()),
                                reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }
}
