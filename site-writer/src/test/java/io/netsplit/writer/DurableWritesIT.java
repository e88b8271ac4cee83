package io.netsplit.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsplit.kit.TopicSettings;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import io.netsplit.lab.ProcessDescriptor;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.writer.internal.Vectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Durability outside the one-broker lab: a one-site lab of three brokers (failsafe execution {@code durable}), where
 * {@code changes} has three replicas and {@code min.insync.replicas=2} and the writer checks that at start-up. The
 * leader of {@code changes} is killed (SIGKILL, by its PID from the lab's process list) while clients write; every
 * write the writer acknowledged is then in {@code changes}, read from the surviving brokers.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class DurableWritesIT {

    private static final String US = "us-east";
    private static final int CLIENTS = 4;

    @Test
    void killingTheLeaderOfChangesDuringWritesLosesNoAcknowledgedWrite(Lab lab) throws Exception {
        String leaderComponent;
        String survivors;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(US).bootstrap()))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes).hasSize(3);
            // the lab created changes durable, and the writer (which refuses otherwise in this lab) agrees
            assertThat(TopicSettings.durabilityProblems(admin, List.of("changes"), 30_000)).isEmpty();
            TopicDescription changes = admin.describeTopics(List.of("changes")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("changes");
            int leader = changes.partitions().get(0).leader().id();
            leaderComponent = leader == 1 ? "broker" : "broker" + leader;
            survivors = nodes.stream().filter(n -> n.id() != leader).map(n -> n.host() + ":" + n.port())
                    .collect(Collectors.joining(","));
        }
        long pid = LabDescriptor.read(lab.runDir()).processes().stream()
                .filter(p -> p.component().equals(leaderComponent) && US.equals(p.site()))
                .mapToLong(ProcessDescriptor::pid).findFirst().orElseThrow();

        SiteWriterClient us = SiteWriterClient.forSite(lab, US);
        String run = "durable-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<WriteAck> acked = new CopyOnWriteArrayList<>();
        Map<String, Integer> refused = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger seq = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                while (writing.get()) {
                    try {
                        acked.add(us.put(run + seq.incrementAndGet(), Map.of("n", 1)));
                    } catch (SiteWriterException e) {
                        refused.merge(e.error() == null ? "none" : e.error(), 1, Integer::sum);
                    }
                }
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 50);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
            int atKill = acked.size();
            System.out.printf("killed %s (pid %d), the leader of changes-0, after %d acknowledged writes%n",
                    leaderComponent, pid, atKill);
            await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= atKill + 100);
        } finally {
            writing.set(false);
            for (Thread t : clients) {
                t.join();
            }
        }

        Set<String> keys = acked.stream().map(WriteAck::key).collect(Collectors.toSet());
        List<ChangeEvent> events = ChangesTopic.read(survivors, lab.registryUrl(), "changes", k -> k.startsWith(run));
        Set<Dot> written = events.stream().map(e -> Vectors.fromAvro(e.getDot())).collect(Collectors.toSet());
        System.out.printf("acknowledged %d, refused %s, in changes %d%n", acked.size(), refused, events.size());
        assertThat(keys).hasSize(acked.size());
        assertThat(written).as("every acknowledged write is in changes")
                .containsAll(acked.stream().map(WriteAck::dot).toList());
        assertThat(events).extracting(e -> Vectors.fromAvro(e.getDot())).doesNotHaveDuplicates();
    }
}
