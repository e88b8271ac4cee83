package io.netsplit.drills.it;

import io.netsplit.drills.NetsplitCommand;
import io.netsplit.kit.TopicName;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.lab.TopicReader;
import io.netsplit.reconcile.DeadLetters;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Dot;
import io.netsplit.schemas.Hlc;
import io.netsplit.schemas.Operation;
import io.netsplit.schemas.Topic;
import io.netsplit.schemas.Topics;
import io.netsplit.schemas.registry.RestSchemaRegistryClient;
import io.netsplit.schemas.registry.SchemaRegistryException;
import io.netsplit.writer.SiteWriterClient;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters with a way back, on a real two-site lab (its own failsafe execution): an event whose wire format names
 * a schema id the registry does not have yet is written to us-east's {@code changes}; both reconcilers retry it, then
 * dead-letter it, and the lab's health checker says so; the schema is registered so that the id resolves; {@code netsplit dlq redrive}, run as its own
 * process, puts it back and proves it merged at both sites; a second redrive injects nothing.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
class DlqIT {

    private static final Duration AWAIT = Duration.ofMinutes(2);

    record Run(int exit, String out) {
    }

    /** {@code netsplit ...} as a separate OS process on this JVM's class path. */
    static Run netsplit(Lab lab, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), NetsplitCommand.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--lab", lab.runDir().toString()));
        Path log = Files.createTempFile("netsplit-dlq-it", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("netsplit %s finished", String.join(" ", args)).isTrue();
        String out = Files.readString(log);
        Files.delete(log);
        System.out.println("$ netsplit " + String.join(" ", args) + "\n" + out);
        return new Run(p.exitValue(), out);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void anEventWhoseSchemaIsRegisteredLaterIsMergedByRedrive(Lab lab) throws Exception {
        SiteDescriptor east = lab.site("us-east");
        // the writer registers the ChangeEvent schema; its write is what the redriven event will follow
        new SiteWriterClient(east.requireService("writer")).put("dlq-warmup", Map.of("n", 1));
        // merged everywhere: every schema the pipeline registers on its own is registered before the ids are read
        for (SiteDescriptor s : lab.sites()) {
            await().atMost(AWAIT).pollInterval(Duration.ofSeconds(1)).until(() -> converged(lab, s, "dlq-warmup") != null);
        }
        String key = "dlq-it-" + UUID.randomUUID();
        ChangeEvent event = new ChangeEvent(key, "dlq-origin", new Dot("dlq-origin", 1L), Map.of("dlq-origin", 1L), 1L,
                new Hlc(System.currentTimeMillis(), 0), Operation.UPSERT, Map.of("via", "redrive"), List.of("via"), null,
                System.currentTimeMillis());

        try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(lab.registryUrl());
             Topic<String, ChangeEvent> changes = Topics.changes(Topics.registry(lab.registryUrl()))) {
            // Given an event naming the id the registry hands out next (ids are handed out in sequence)
            int next = highestKnownId(registry) + 1;
            byte[] wire = changes.valueSerde().serializer().serialize(TopicName.CHANGES.defaultName(), event);
            ByteBuffer.wrap(wire, 1, 4).putInt(next);
            produce(east.bootstrap(), key, wire);

            // Then each site retries it, then dead-letters it (us-east from changes, eu-west from the mirror)
            for (SiteDescriptor s : lab.sites()) {
                await().atMost(AWAIT).pollInterval(Duration.ofSeconds(1)).until(() -> deadLetters(s, key).size() == 1);
                assertThat(reason(deadLetters(s, key).get(0))).startsWith("cannot deserialize: SerializationException: retries exhausted: "
                        + "unknown schema id " + next);
            }
            // and the lab's checker calls it degraded, naming the site and the count
            await().atMost(AWAIT).pollInterval(Duration.ofSeconds(2))
                    .until(() -> health(lab).contains("site us-east: 1 dead letter(s) not redriven in changes.dlq"));
            Run listed = netsplit(lab, "dlq", "list", "--json");
            assertThat(listed.exit()).isZero();
            assertThat(listed.out()).contains("\"state\":\"dead\"").contains("\"key\":\"" + key + "\"");

            // When a schema the event reads with is registered under that id (a distinct one, under a throwaway subject)
            Schema variant = new Schema.Parser().parse(ChangeEvent.getClassSchema().toString());
            variant.addProp("netsplit.dlq-it", key);
            assertThat(registry.register("dlq-it-" + UUID.randomUUID() + "-value", variant))
                    .as("the registry handed out the next id (nothing else registered meanwhile)").isEqualTo(next);

            // and dlq redrive runs
            Run redrive = netsplit(lab, "dlq", "redrive", "--wait", "120s");
            assertThat(redrive.exit()).as(redrive.out()).isZero();
            assertThat(redrive.out()).contains("us-east: redriving").contains("eu-west: redriving").contains("merged — dot dlq-origin:1");
        }

        // Then the event is merged at both sites
        for (SiteDescriptor s : lab.sites()) {
            ConvergedRecord merged = converged(lab, s, key);
            assertThat(merged).as("converged %s at %s", key, s.name()).isNotNull();
            assertThat(merged.getFields()).containsEntry("via", "redrive");
            assertThat(merged.getVersionVector()).containsEntry("dlq-origin", 1L);
        }
        // and the checker's finding is gone
        await().atMost(AWAIT).pollInterval(Duration.ofSeconds(2)).until(() -> !health(lab).contains("dead letter(s) not redriven"));
        // and a second redrive puts nothing back twice: each dead letter was redriven once
        Run again = netsplit(lab, "dlq", "redrive");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("us-east: nothing to redrive").contains("eu-west: nothing to redrive");
        for (SiteDescriptor s : lab.sites()) {
            List<ConsumerRecord<byte[], byte[]>> redriven = TopicReader.readAll(s.bootstrap(), TopicName.REDRIVE.defaultName(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer(), AWAIT);
            assertThat(redriven).filteredOn(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8))).hasSize(1);
        }
        Run list = netsplit(lab, "dlq", "list", "--site", "us-east");
        assertThat(list.out()).containsPattern("us-east +[0-9]+ +redriven .*key=" + key);
    }

    /** What {@code netsplit health check-now} prints (in this JVM: it is polled). */
    private static String health(Lab lab) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = NetsplitCommand.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(out, true));
        cl.execute("health", "--lab", lab.runDir().toString(), "check-now");
        return out.toString();
    }

    /** The highest id the registry answers for, probing up from 1 until 20 ids in a row are unknown. */
    private static int highestKnownId(RestSchemaRegistryClient registry) {
        int highest = 0;
        for (int id = 1, misses = 0; misses < 20; id++) {
            try {
                registry.getSchemaById(id);
                highest = id;
                misses = 0;
            } catch (SchemaRegistryException e) {
                assertThat(e.isNotFound()).as("registry answer for id %d: %s", id, e.getMessage()).isTrue();
                misses++;
            }
        }
        return highest;
    }

    private static void produce(String bootstrap, String key, byte[] value) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicName.CHANGES.defaultName(), key.getBytes(StandardCharsets.UTF_8), value))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(SiteDescriptor s, String key) {
        return TopicReader.readAll(s.bootstrap(), TopicName.DLQ.defaultName(), new StringDeserializer(), new ByteArrayDeserializer(), AWAIT)
                .stream().filter(r -> key.equals(r.key())).toList();
    }

    private static String reason(ConsumerRecord<String, byte[]> r) {
        return new String(r.headers().lastHeader(DeadLetters.DLQ_REASON).value(), StandardCharsets.UTF_8);
    }

    private static ConvergedRecord converged(Lab lab, SiteDescriptor s, String key) {
        try (Topic<String, ConvergedRecord> topic = Topics.converged(Topics.registry(lab.registryUrl()))) {
            ConvergedRecord last = null;
            for (ConsumerRecord<String, ConvergedRecord> r : TopicReader.readAll(s.bootstrap(), topic.name(), new StringDeserializer(),
                    topic.valueSerde().deserializer(), AWAIT)) {
                if (key.equals(r.key())) {
                    last = r.value();
                }
            }
            return last;
        }
    }
}
