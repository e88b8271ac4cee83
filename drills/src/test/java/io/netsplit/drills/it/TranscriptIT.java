package io.netsplit.drills.it;

import io.netsplit.drills.NetsplitCommand;
import io.netsplit.drills.cli.DrillCommand;
import io.netsplit.drills.cli.ReconcileCommand;
import io.netsplit.drills.report.ReportWriter;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.writer.SiteWriterClient;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The commands users run around the seed's transcript, in this JVM against a lab of its own (its own
 * failsafe execution): a verify that fails while sites differ, a drill on a running lab, bad input,
 * the library, a tampered converged record. The transcript itself runs from a shell in
 * {@link ReadmeTranscriptIT}.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranscriptIT {

    record Run(int exit, String out, String err) {
    }

    static Run netsplit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NetsplitCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        System.out.println("$ netsplit " + String.join(" ", args) + "\n" + out + err);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @Order(2)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void reconcileVerifyFailsWhileSitesDiffer(Lab lab) {
        String dir = lab.runDir().toString();
        assertThat(netsplit("ctl", "isolate", "us-east", "eu-west", "--lab", dir).exit()).isZero();
        try {
            new SiteWriterClient(lab.site("us-east").requireService("writer")).put("verify-me", Map.of("n", 1));
            Run verify = netsplit("reconcile", "verify", "--lab", dir);
            assertThat(verify.exit()).isEqualTo(ReconcileCommand.NOT_CONVERGED);
            assertThat(verify.out()).contains("NOT converged");
        } finally {
            assertThat(netsplit("ctl", "heal", "us-east", "eu-west", "--lab", dir).exit()).isZero();
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> netsplit("reconcile", "verify", "--lab", dir).exit() == 0);
    }

    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void drillRunAgainstARunningLab(Lab lab) {
        Path report = Path.of("target", "drill-reports", "transcript-golden-path");
        Run run = netsplit("drill", "run", "scenarios/golden-path.yaml", "--lab", lab.runDir().toString(),
                "--report", report.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("partition active", "partition healed", "convergence: pass",
                "golden-records: pass", "no-lost-writes: pass", "PASSED");
        assertThat(ReportWriter.read(report).passed()).isTrue();
        assertThat(report.resolve("report.html")).exists();
    }

    @Test
    @Order(4)
    void badInputIsOneLineAndChangesNothing(Lab lab) {
        String dir = lab.runDir().toString();
        List<Run> runs = new ArrayList<>();
        runs.add(netsplit("ctl", "isolate", "us-east", "mars", "--lab", dir));
        runs.add(netsplit("ctl", "isolate", "us-east", "us-east", "--lab", dir));
        runs.add(netsplit("ctl", "latency", "us-east", "eu-west", "fast", "--lab", dir));
        runs.add(netsplit("ctl", "isolate", "us-east", "eu-west", "--style", "gentle", "--lab", dir));
        runs.add(netsplit("drill", "run", "no-such-scenario", "--lab", dir));
        runs.add(netsplit("reconcile", "status", "--site", "mars", "--lab", dir));
        runs.add(netsplit("ctl", "status", "--lab", "/nonexistent/lab"));
        for (Run r : runs) {
            assertThat(r.exit()).isNotZero();
            assertThat(r.err().strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
        }
        assertThat(runs.get(0).err()).contains("no site 'mars'");
        assertThat(runs.get(2).err()).contains("'fast' is not a duration");
        // nothing was cut by the refused commands
        Run links = netsplit("ctl", "status", "--lab", dir);
        assertThat(links.out()).doesNotContain(" cut ");
    }

    @Test
    @Order(5)
    void drillListShowsTheLibrary() {
        Run list = netsplit("drill", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("golden-path", "fourteen-conflicts", "policies", "reconnect-during-writes",
                "flapping", "one-way", "partial-audit-loss", "crash-mid-merge", "three-sites", "manual-resolution");
        assertThat(DrillCommand.library()).isDirectory();
    }

    @Test
    @Order(7)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theConvergenceCheckerCatchesATamperedConvergedRecord(Lab lab) throws Exception {
        String west = lab.site("eu-west").bootstrap();
        Map<String, Object> serde = Map.of("schema.registry.url", lab.registryUrl());
        try (var converged = io.netsplit.schemas.serde.AvroSerde.configured(io.netsplit.schemas.ConvergedRecord.class, serde, false);
             io.netsplit.drills.run.LabTarget target = new io.netsplit.drills.run.LabTarget(lab, null);
             var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", west),
                     new org.apache.kafka.common.serialization.StringSerializer(), converged.serializer())) {
            // Given a key written at us-east, and eu-west's converged record of it once the sites agree
            new SiteWriterClient(lab.site("us-east").requireService("writer")).put("tamper-1", Map.of("status", "online"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> netsplit("reconcile", "verify", "--lab", lab.runDir().toString()).exit() == 0);
            io.netsplit.schemas.ConvergedRecord original = io.netsplit.lab.TopicReader.readAll(west, "converged",
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer(), converged.deserializer(), Duration.ofSeconds(30)).stream()
                    .map(r -> r.value()).filter(v -> v.getKey().equals("tamper-1")).reduce((a, b) -> b).orElseThrow();
            assertThat(io.netsplit.drills.check.Checkers.convergence(List.of(target.snapshot("us-east"), target.snapshot("eu-west")))
                    .passed()).isTrue();
            // When somebody writes a different value straight to eu-west's converged topic
            Map<String, Object> originalFields = new java.util.HashMap<>(original.getFields());
            original.setFields(new java.util.HashMap<>(Map.of("status", "tampered")));
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("converged", "tamper-1", original)).get();
            try {
                // Then the convergence checker fails and names the key
                var verdict = io.netsplit.drills.check.Checkers.convergence(List.of(target.snapshot("us-east"), target.snapshot("eu-west")));
                assertThat(verdict.passed()).isFalse();
                assertThat(verdict.evidence()).anyMatch(e -> e.contains("tamper-1 at eu-west") && e.contains("tampered"));
            } finally {
                original.setFields(originalFields);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("converged", "tamper-1", original)).get();
            }
        }
    }
}
