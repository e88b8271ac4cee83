package io.netsplit.reconcile.fuzz;

import io.netsplit.reconcile.ReconcileConfig;
import io.netsplit.reconcile.ReconcileTopology;
import io.netsplit.reconcile.Reconciler;
import io.netsplit.reconcile.fuzz.RecordFactory.Input;
import io.netsplit.reconcile.internal.MergeProcessor;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.serde.AvroSerde;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One site's reconcile topology on a {@link TopologyTestDriver}, fed record by record; {@link #violation} is the
 * fuzz property's check, the same for the real topology and for a planted defect.
 */
final class FuzzSite implements AutoCloseable {

    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final TestOutputTopic<String, ConvergedRecord> converged;
    private final TestOutputTopic<String, byte[]> audit;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final RecordFactory factory;

    /** The site us-east as {@code main} builds it. */
    FuzzSite() {
        this(UnaryOperator.identity());
    }

    /** The site us-east with its topology changed by {@code plant} (a planted defect). */
    FuzzSite(UnaryOperator<Topology> plant) {
        String registry = "mock://reconcile-fuzz-" + UUID.randomUUID();
        try {
            stateDir = Files.createTempDirectory("reconcile-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReconcileConfig config = ReconcileConfig.parse(Map.of(
                ReconcileConfig.SITE, RecordFactory.SITES.get(0),
                ReconcileConfig.BOOTSTRAP_SERVERS, "unused:9092",
                ReconcileConfig.REGISTRY_URL, registry,
                ReconcileConfig.SITE_ORDER, String.join(",", RecordFactory.SITES),
                ReconcileConfig.STATE_DIR, stateDir.toString()));
        driver = new TopologyTestDriver(plant.apply(ReconcileTopology.build(config)), Reconciler.streamsProperties(config));
        AvroSerde<ConvergedRecord> convergedSerde = AvroSerde.configured(ConvergedRecord.class, Map.of("schema.registry.url", registry), false);
        converged = driver.createOutputTopic("converged", new StringDeserializer(), convergedSerde.deserializer());
        audit = driver.createOutputTopic("audit", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("changes.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        factory = new RecordFactory(AvroSerde.configured(ChangeEvent.class, Map.of("schema.registry.url", registry), false).serializer());
    }

    /**
     * The property: every record of the case, piped on its input topic, is either merged — no dead letter, and a
     * converged record for its key whose vector holds its dot (a redelivery: nothing new at all) — or dead-lettered:
     * exactly one dead letter with its bytes and a non-empty reason, and no converged record; never an exception.
     *
     * @return the first record that broke it, and how
     */
    Optional<String> violation(RecordRecipe.Case c) {
        for (Input in : factory.inputs(c)) {
            try {
                inputs.computeIfAbsent(in.topic(), t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()))
                        .pipeInput(in.key(), in.value());
            } catch (RuntimeException e) {
                return Optional.of(in + ": pipeInput threw " + e);
            }
            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            List<TestRecord<String, ConvergedRecord>> merged = converged.readRecordsToList();
            audit.readRecordsToList();
            Optional<String> wrong = in.kind().wellFormed() ? merged(in, dead, merged) : deadLettered(in, dead, merged);
            if (wrong.isPresent()) {
                return Optional.of(in + ": " + wrong.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> merged(Input in, List<TestRecord<byte[], byte[]>> dead,
                                           List<TestRecord<String, ConvergedRecord>> merged) {
        if (!dead.isEmpty()) {
            return Optional.of("a well-formed record was dead-lettered: " + reason(dead.get(0)));
        }
        if (in.kind() == RecordRecipe.Kind.REDELIVERY) {
            return merged.isEmpty() ? Optional.empty() : Optional.of("a redelivery changed the converged state");
        }
        boolean holdsDot = merged.stream().anyMatch(r -> r.getKey().equals(in.entityKey())
                && r.getValue().getVersionVector().getOrDefault(in.site(), 0L) >= in.counter());
        return holdsDot ? Optional.empty() : Optional.of("no converged record holds its dot (got " + merged.size() + ")");
    }

    private static Optional<String> deadLettered(Input in, List<TestRecord<byte[], byte[]>> dead,
                                                 List<TestRecord<String, ConvergedRecord>> merged) {
        if (dead.size() != 1) {
            return Optional.of("a malformed record gave " + dead.size() + " dead letters");
        }
        String reason = reason(dead.get(0));
        if (reason == null || reason.isBlank()) {
            return Optional.of("a dead letter without a reason");
        }
        if (in.value() != null && !Arrays.equals(dead.get(0).getValue(), in.value())) {
            return Optional.of("the dead letter does not hold the record's bytes (" + reason + ")");
        }
        return merged.isEmpty() ? Optional.empty() : Optional.of("a malformed record changed the converged state (" + reason + ")");
    }

    private static String reason(TestRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(MergeProcessor.DLQ_REASON);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
