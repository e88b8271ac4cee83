package io.netsplit.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netsplit.lab.Lab;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.LabExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cut longer than the retention of {@code changes} loses records, and the loss is reported, never skipped silently.
 * Its own lab (failsafe execution {@code retention-gap}): {@code changes} kept 5 s in 1 s segments, retention checked
 * every second. eu-west writes, the link eu-west→us-east is cut, retention deletes what MM2 had not copied; the link
 * health then names the gap (topic, partition, first lost offset, how many) on {@code /health} and in
 * {@code mirror_link_gap_offsets}, MM2 moves on after the heal, and exactly the reported records are the ones missing.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class RetentionGapIT {

    private static final String A = "us-east";
    private static final String B = "eu-west";
    private static final TopicPartition CHANGES_0 = new TopicPartition("changes", 0);

    @Test
    void aCutLongerThanTheRetentionIsReportedAsAGapNamingTheLostOffsets(Lab lab) throws Exception {
        LabDescriptor d = LabDescriptor.read(lab.runDir());
        LinkHealthClient health = LinkHealthClient.fromDescriptor(d);
        String run = "gap-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (LinkControl links = LinkControls.fromDescriptor(d);
             Admin atB = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(B).bootstrap()));
             Receiver atA = new Receiver(lab.site(A).bootstrap(), B + ".changes");
             LoadGenerator before = new LoadGenerator(lab.site(B).bootstrap(), run + "cut", 10)) {
            // MM2 copies eu-west's writes and has committed its position (the monitor knows where it is)
            await().atMost(Duration.ofSeconds(90)).until(() -> atA.values(before.key()).size() >= 10
                    && health.link(B, A).mirroredOffset() != null && health.link(B, A).mirroredOffset() > 0);
            assertThat(health.link(B, A).gaps()).isEmpty();

            long ackedAtCut = before.acked().size();
            links.cutOneWay(B, A, CutStyle.REFUSE);
            try {
                // eu-west goes on writing during the cut, then stops: retention deletes every record, the last
                // segment too, so what the cut lost is final once the log start reaches the log end
                await().atMost(Duration.ofSeconds(60)).until(() -> before.acked().size() > ackedAtCut + 150);
                before.stop();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    long start = offset(atB, OffsetSpec.earliest());
                    List<LinkGap> gaps = health.link(B, A).gaps();
                    return start == offset(atB, OffsetSpec.latest()) && gaps.size() == 1
                            && gaps.get(0).endOffset() == start;
                });
            } finally {
                links.healOneWay(B, A);
            }
            LinkGap gap = health.link(B, A).gaps().get(0);
            System.out.println("reported: " + gap.describe());
            assertThat(gap.topic()).isEqualTo("changes");
            assertThat(gap.partition()).isZero();
            assertThat(gap.lostOffsets()).isPositive();
            assertThat(health.prometheus()).containsPattern(
                    "mirror_link_gap_offsets\\{[^}]*source=\"eu-west\"[^}]*\\} " + gap.lostOffsets() + "(\\.0)?\\n");

            // MM2 moves on past the gap after the heal ...
            try (LoadGenerator after = new LoadGenerator(lab.site(B).bootstrap(), run + "after", 10)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> atA.values(after.key()).size() >= 5);
            }
            // ... and the records it never copied are exactly the reported ones: contiguous, as many as reported
            Set<Long> missing = new TreeSet<>(before.acked());
            missing.removeAll(atA.values(before.key()));
            assertThat(missing).hasSize((int) gap.lostOffsets());
            assertThat(((TreeSet<Long>) missing).last() - ((TreeSet<Long>) missing).first() + 1)
                    .isEqualTo(gap.lostOffsets());
            assertThat(before.failures()).isEmpty();
            // the report stays: a gap cannot heal
            assertThat(health.link(B, A).gaps()).containsExactly(gap);
        }
    }

    /**
     * Follows a topic from its beginning and keeps every value by key: the mirrored topic has the source's 5 s retention
     * too (MM2 copies topic configs), so what arrived is seen as it arrives, not read back later. It never skips: a
     * position below the log start fails it (auto.offset.reset=none) and the test with it.
     */
    private static final class Receiver implements AutoCloseable {
        private final Map<String, Set<Long>> byKey = new java.util.concurrent.ConcurrentHashMap<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile RuntimeException failure;

        Receiver(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                    new StringDeserializer(), new StringDeserializer());
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            thread = Thread.ofPlatform().daemon().name("receiver-" + topic).start(() -> {
                try {
                    while (running) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            byKey.computeIfAbsent(r.key(), k -> new java.util.concurrent.ConcurrentSkipListSet<>())
                                    .add(Long.parseLong(r.value()));
                        }
                    }
                } catch (RuntimeException e) {
                    failure = e;
                }
            });
        }

        Set<Long> values(String key) {
            if (failure != null) {
                throw new AssertionError("the receiver failed", failure);
            }
            return Set.copyOf(byKey.getOrDefault(key, Set.of()));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            consumer.close();
        }
    }

    private static long offset(Admin admin, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(CHANGES_0, spec)).partitionResult(CHANGES_0).get(10, TimeUnit.SECONDS).offset();
    }
}
