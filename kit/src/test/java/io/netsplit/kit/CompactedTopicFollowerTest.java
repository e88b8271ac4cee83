package io.netsplit.kit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class CompactedTopicFollowerTest {

    private static final String TOPIC = "converged.us-east";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** A decoding failure only time cures (the registry away). */
    static final class RegistryAway extends RuntimeException {
        RegistryAway() {
            super("registry unreachable");
        }
    }

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();
    private final AtomicBoolean heardCaughtUp = new AtomicBoolean();
    private CompactedTopicFollower<String> follower;

    private final CompactedTopicFollower.Listener<String> recorder = new CompactedTopicFollower.Listener<>() {
        @Override
        public void changed(String key, String previous, String current) {
            changes.add(key + ":" + previous + "->" + current);
        }

        @Override
        public void unreadable(ConsumerRecord<String, byte[]> record, RuntimeException problem, boolean retrying) {
            unreadable.add(record.offset() + (retrying ? " retrying" : " skipped"));
        }

        @Override
        public void polled(boolean caughtUp) {
            heardCaughtUp.compareAndSet(false, caughtUp);
        }
    };

    @AfterEach
    void close() {
        if (follower != null) {
            follower.close();
        }
    }

    private void topicWithTwoPartitions(long end0, long end1) {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null),
                new PartitionInfo(TOPIC, 1, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition tp, long offset, String key, String value) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private CompactedTopicFollower.Builder<String> builder(CompactedTopicFollower.Decoder<String> decoder) {
        return CompactedTopicFollower.builder(TOPIC, decoder)
                .consumers(() -> consumer)
                .listener(recorder)
                .pollTimeout(Duration.ofMillis(10));
    }

    @Test
    void shouldReadEveryPartitionFromTheBeginningRemoveOnTombstonesAndBeReadyAtTheEnd() throws Exception {
        // Given a topic of two partitions holding three records and a tombstone
        topicWithTwoPartitions(3, 1);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P0, 0, "a", "1"));
            consumer.addRecord(record(P0, 1, "b", "2"));
        });
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P0, 2, "a", null));
            consumer.addRecord(record(P1, 0, "c", "3"));
        });

        // When it is followed
        follower = builder((key, value) -> new String(value, StandardCharsets.UTF_8)).build().start();

        // Then it is ready once every partition stands at its end, with the tombstoned key gone
        assertThat(follower.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(follower.snapshot()).isEqualTo(Map.of("b", "2", "c", "3"));
        assertThat(follower.get("a")).isNull();
        assertThat(changes).containsExactlyInAnyOrder("a:null->1", "b:null->2", "a:1->null", "c:null->3");
        assertThat(follower.caughtUpAtMs()).isPositive();
        assertThat(heardCaughtUp).as("the listener heard the poll that made it ready, before anyone waiting").isTrue();
    }

    @Test
    void shouldNotBeReadyBeforeTheEndOffsetsOfStartAreReached() throws Exception {
        topicWithTwoPartitions(2, 0);
        consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 0, "a", "1")));

        follower = builder((key, value) -> new String(value, StandardCharsets.UTF_8)).build().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> follower.get("a") != null);
        assertThat(follower.awaitReady(Duration.ofMillis(300))).isFalse();
        assertThat(follower.caughtUpAtMs()).isEqualTo(-1);

        consumer.schedulePollTask(() -> consumer.addRecord(record(P0, 1, "b", "2")));

        assertThat(follower.awaitReady(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void shouldNeverStepOverARecordItCannotReadYet() throws Exception {
        // Given a record whose decoding fails three times (the registry away), then works
        topicWithTwoPartitions(3, 0);
        AtomicInteger failuresLeft = new AtomicInteger(3);
        CompactedTopicFollower.Decoder<String> decoder = (key, value) -> {
            if (key.equals("b") && failuresLeft.getAndDecrement() > 0) {
                throw new RegistryAway();
            }
            return new String(value, StandardCharsets.UTF_8);
        };
        for (int poll = 0; poll < 20; poll++) {
            // a real consumer returns the records again after the seek back; the mock needs them added again
            consumer.schedulePollTask(() -> {
                consumer.addRecord(record(P0, 0, "a", "1"));
                consumer.addRecord(record(P0, 1, "b", "2"));
                consumer.addRecord(record(P0, 2, "c", "3"));
            });
        }

        // When it is followed, retrying that failure with a short backoff
        follower = builder(decoder)
                .retryWhen(e -> e instanceof RegistryAway, Backoff.fixed(Duration.ofMillis(20)))
                .build().start();

        // Then it waits on that record, reported each time, and reads past it only once it could read it
        assertThat(follower.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(unreadable).containsExactly("1 retrying", "1 retrying", "1 retrying");
        assertThat(changes).containsExactly("a:null->1", "b:null->2", "c:null->3");
    }

    @Test
    void shouldSkipARecordNoRetryCanCureAndReportIt() throws Exception {
        topicWithTwoPartitions(3, 0);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P0, 0, "a", "1"));
            consumer.addRecord(record(P0, 1, "b", "not a number"));
            consumer.addRecord(record(P0, 2, null, "3"));
        });

        follower = builder((key, value) -> Integer.valueOf(new String(value, StandardCharsets.UTF_8)).toString())
                .retryWhen(e -> e instanceof RegistryAway, Backoff.fixed(Duration.ofMillis(20)))
                .build().start();

        assertThat(follower.awaitReady(Duration.ofSeconds(10))).isTrue();
        assertThat(follower.snapshot()).isEqualTo(Map.of("a", "1"));
        assertThat(unreadable).containsExactly("1 skipped", "2 skipped");
    }

    @Test
    void shouldCountAMissingTopicAsReadOnlyWhenAskedAndLookAgain() throws Exception {
        follower = builder((key, value) -> "v").missingTopicPause(Duration.ofMillis(20))
                .readyWhenTopicMissing(true).build().start();

        assertThat(follower.awaitReady(Duration.ofSeconds(10))).isTrue();

        follower.close();
        follower = null;
        MockConsumer<String, byte[]> other = new MockConsumer<>("earliest");
        CompactedTopicFollower<String> strict = CompactedTopicFollower.<String>builder(TOPIC, (key, value) -> "v")
                .consumers(() -> other).missingTopicPause(Duration.ofMillis(20)).build().start();
        try {
            assertThat(strict.awaitReady(Duration.ofMillis(300))).isFalse();
        } finally {
            strict.close();
        }
    }

    @Test
    void shouldHearEveryPollAndStopCleanlyOnClose() throws Exception {
        topicWithTwoPartitions(0, 0);
        AtomicInteger polls = new AtomicInteger();
        follower = builder((key, value) -> "v").listener(new CompactedTopicFollower.Listener<>() {
            @Override
            public void polled(boolean caughtUp) {
                polls.incrementAndGet();
            }
        }).threadName("follower-under-test").build().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 3);
        follower.close();

        assertThat(consumer.closed()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("follower-under-test"));
    }
}
