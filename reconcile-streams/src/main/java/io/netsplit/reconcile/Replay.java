package io.netsplit.reconcile;

import io.netsplit.schemas.Topics;
import io.netsplit.schemas.Topic;
import io.netsplit.lab.TopicReader;
import io.netsplit.reconcile.internal.SiteSummary;
import io.netsplit.reconcile.internal.TopicSetup;
import io.netsplit.schemas.AuditEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.netsplit.kit.ServiceMain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reprocesses a site from the beginning and reports the digest and decision ids it reaches: the
 * {@code replay-identical} check of a drill, and the CLI-free equivalent of
 * {@code kafka-streams-application-reset} followed by a restart.
 *
 * <p>How: the same topology ({@link ReconcileTopology#build}) runs in this JVM under a fresh
 * application id ({@code <application.id>-replay-<id>}) over the site's ordered log
 * ({@code reconcile.log}) from offset 0 up to the log's end offset at the time of the call, without
 * the ingest stage, writing to side topics {@code converged.replay-<id>}, {@code audit.replay-<id>},
 * {@code changes.dlq.replay-<id>}. Because the log holds every input record in the order the live
 * application processed it, the replay makes the same decisions in the same order: equal digest and
 * equal decision ids. Afterwards it deletes its side topics, its internal topics, its consumer group
 * and its local state.
 */
public final class Replay {

    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    private Replay() {
    }

    /** Replays {@code forSite} against other brokers and registry (e.g. a lab's, from a drill). */
    public static ReplayResult run(ReconcileConfig forSite, String bootstrap, String registryUrl, Duration timeout) throws Exception {
        return run(forSite.withConnection(bootstrap, registryUrl), timeout);
    }

    /**
     * Replays the site's ordered log from the beginning up to its end offset now.
     *
     * @throws java.util.concurrent.TimeoutException if the replay has not caught up within {@code timeout}
     */
    public static ReplayResult run(ReconcileConfig forSite, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("netsplit-replay-" + forSite.site() + "-");
        try (Admin admin = Admin.create(forSite.adminProperties())) {
            TopicPartition logTp = new TopicPartition(forSite.topics().log(), 0);
            long end = admin.listOffsets(Map.of(logTp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(logTp).get(30, TimeUnit.SECONDS).offset();
            ReconcileConfig rc = forSite.forReplay(id, dir, end);
            log.info("replaying {} from {} offsets [0, {}) as {}", forSite.site(), logTp, end, rc.applicationId());
            TopicSetup.ensure(admin, rc);
            KafkaStreams streams = new KafkaStreams(ReconcileTopology.build(rc), Reconciler.streamsProperties(rc));
            try {
                streams.start();
                awaitCaughtUp(admin, streams, rc.applicationId(), logTp, end, deadline);
                SiteSummary summary = awaitSummary(streams, deadline);
                List<String> ids = decisionIds(rc);
                if (ids.size() != summary.sequence()) {
                    throw new IllegalStateException("replay read " + ids.size() + " audit records but its summary counts "
                            + summary.sequence() + " decisions");
                }
                return new ReplayResult(summary.digest().hex(), ids, summary.digest().count(), summary.frontier().asMap(), end);
            } finally {
                // leave the group on close, or deleting it afterwards fails with "group not empty"
                streams.close(org.apache.kafka.streams.CloseOptions
                        .groupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
                streams.cleanUp();
                cleanUp(admin, rc);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void awaitCaughtUp(Admin admin, KafkaStreams streams, String group, TopicPartition tp, long end,
                                      long deadline) throws Exception {
        while (true) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("replay application stopped in state " + streams.state());
            }
            if (streams.state() == KafkaStreams.State.RUNNING) {
                if (end == 0) {
                    return;
                }
                OffsetAndMetadata c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).get(tp);
                if (c != null && c.offset() >= end) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("replay did not reach offset " + end + " of " + tp + " in time");
            }
            Thread.sleep(200);
        }
    }

    private static SiteSummary awaitSummary(KafkaStreams streams, long deadline) throws Exception {
        while (true) {
            try {
                return Reconciler.readSummary(streams);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Every decision id on the replay's audit side topic, in order (read_committed). */
    private static List<String> decisionIds(ReconcileConfig rc) {
        List<String> ids = new ArrayList<>();
        try (Topic<String, AuditEvent> audit = Topics.audit(rc.topics().audit(), Topics.registry(rc.registryUrl()))) {
            TopicReader.forEach(rc.bootstrapServers(), audit.name(), audit.keySerde().deserializer(), audit.valueSerde().deserializer(),
                    Duration.ofSeconds(60), r -> ids.add(r.value().getDecisionId()));
        }
        return ids;
    }

    private static void cleanUp(Admin admin, ReconcileConfig rc) {
        try {
            Set<String> doomed = new HashSet<>(List.of(rc.topics().converged(), rc.topics().audit(), rc.topics().dlq()));
            for (String t : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
                if (t.startsWith(rc.applicationId() + "-")) {
                    doomed.add(t);
                }
            }
            admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
            admin.deleteConsumerGroups(List.of(rc.applicationId())).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("replay {}: clean-up incomplete ({}); delete topics and group named {}* by hand", rc.applicationId(),
                    e.getMessage(), rc.applicationId());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }

    /**
     * {@code java io.netsplit.reconcile.Replay --set site=... --set bootstrap.servers=... ...} (the reconciler's keys,
     * by the kit's {@link ServiceMain} convention): prints the digest, key count and decision count, one per line.
     */
    public static void main(String[] args) {
        ServiceMain.of("replay", "Replays a site's ordered log into side topics and prints the digest.",
                ReconcileConfig.configDef(), ReconcileConfig::parse).run((config, context) -> {
                    ReplayResult r = run(config, Duration.ofMinutes(10));
                    context.out().println("digest=" + r.digest());
                    context.out().println("keys=" + r.keys());
                    context.out().println("decisions=" + r.decisionIds().size());
                    context.out().println("records=" + r.records());
                    context.out().flush();
                    return ServiceMain.EXIT_OK;
                }).main(args);
    }
}
