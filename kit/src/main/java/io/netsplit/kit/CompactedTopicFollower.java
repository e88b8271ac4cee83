package io.netsplit.kit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one follower of a compacted topic: a thread of its own reads every partition of the topic from the beginning,
 * without a consumer group, into a map of the newest value per key, and keeps following it. A tombstone removes its
 * key. It is ready once it has read what the topic held when it first opened it (its end offsets then), and notes
 * each time it stands at the topic's end. Reads the topic it is built for; writes nothing.
 *
 * <p>A record the {@link Decoder} cannot read is either skipped (reported to the {@link Listener}) or, when the
 * failure is one that {@link Builder#retryWhen} says time can cure (the schema registry unreachable), never stepped
 * over: the follower stays before it, retries it with {@link Builder#retryBackoff}, and is neither ready nor caught up
 * until it has read it. A failure of the consumer itself closes it and opens a new one after
 * {@link Builder#reopenPause}, resuming where reading stood (the map is kept). A topic that does not exist is looked
 * for again every {@link Builder#missingTopicPause}, never created.
 *
 * @param <V> what one record's value is decoded to
 */
public final class CompactedTopicFollower<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicFollower.class);

    /** Decodes one record's value (never null here); answers null for a record it does not keep (skipped silently). */
    @FunctionalInterface
    public interface Decoder<V> {
        V decode(String key, byte[] value);
    }

    /** What a user of the map hears; called on the follower's thread, so it must be quick and must not block. */
    public interface Listener<V> {

        /** {@code key} now maps to {@code current} (null: removed by a tombstone); {@code previous} may be null. */
        default void changed(String key, V previous, V current) {
        }

        /**
         * After every poll, also one that brought nothing (a state that ages with time can be re-evaluated here);
         * {@code caughtUp}: reading stands at the topic's end as last fetched.
         */
        default void polled(boolean caughtUp) {
        }

        /** A record that could not be read: skipped, or ({@code retrying}) to be read again after a pause. */
        default void unreadable(ConsumerRecord<String, byte[]> record, RuntimeException problem, boolean retrying) {
        }

        /** Reading failed; the follower reopens its consumer after a pause. */
        default void failed(RuntimeException problem) {
        }
    }

    private final String topic;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Decoder<V> decoder;
    private final BiFunction<String, V, String> keyOf;
    private final boolean keysFromValues;
    private final Predicate<RuntimeException> retryWhen;
    private final Backoff retryBackoff;
    private final Duration reopenPause;
    private final Duration missingTopicPause;
    private final boolean readyWhenTopicMissing;
    private final Duration metadataTimeout;
    private final Duration pollTimeout;
    private final Duration endCheckInterval;
    private final Listener<V> listener;
    private final Thread thread;

    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Where reading resumes after a reopen, so a reconnect neither replays older values over newer ones nor skips. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private volatile Consumer<String, byte[]> consumer;
    private volatile long caughtUpAtMs = -1;
    private boolean failing;

    private CompactedTopicFollower(Builder<V> b) {
        this.topic = b.topic;
        this.consumers = b.consumers;
        this.decoder = b.decoder;
        this.keyOf = b.keyOf;
        this.keysFromValues = b.keysFromValues;
        this.retryWhen = b.retryWhen;
        this.retryBackoff = b.retryBackoff;
        this.reopenPause = b.reopenPause;
        this.missingTopicPause = b.missingTopicPause;
        this.readyWhenTopicMissing = b.readyWhenTopicMissing;
        this.metadataTimeout = b.metadataTimeout;
        this.pollTimeout = b.pollTimeout;
        this.endCheckInterval = b.endCheckInterval;
        this.listener = b.listener;
        this.thread = Thread.ofPlatform().daemon().name(b.threadName).unstarted(this::run);
    }

    /** A follower of {@code topic} decoding values with {@code decoder}; set how it connects before building it. */
    public static <V> Builder<V> builder(String topic, Decoder<V> decoder) {
        return new Builder<>(topic, decoder);
    }

    /** Starts the follower's thread. */
    public CompactedTopicFollower<V> start() {
        thread.start();
        return this;
    }

    /** Waits until what the topic held at start has been read and the listener has heard that poll; false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** The newest value of {@code key}, or null (none, or removed by a tombstone). */
    public V get(String key) {
        return values.get(key);
    }

    public int size() {
        return values.size();
    }

    /** A copy of the map as of now. */
    public Map<String, V> snapshot() {
        return new HashMap<>(values);
    }

    /**
     * When (wall clock, ms) reading last stood at the topic's end: the moment the end offsets it reached were asked
     * for, so everything written before then had been read. -1 before the first time.
     */
    public long caughtUpAtMs() {
        return caughtUpAtMs;
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    private void run() {
        boolean reportedMissing = false;
        while (!isClosing()) {
            try (Consumer<String, byte[]> c = consumers.get()) {
                consumer = c;
                if (isClosing()) {
                    return;
                }
                List<PartitionInfo> infos = metadataTimeout == null ? c.partitionsFor(topic)
                        : c.partitionsFor(topic, metadataTimeout);
                if (infos == null || infos.isEmpty()) {
                    if (!reportedMissing) {
                        log.info("topic {} does not exist yet; looking again every {} ms", topic,
                                missingTopicPause.toMillis());
                        reportedMissing = true;
                    }
                    if (readyWhenTopicMissing) {
                        ready.countDown();
                    }
                    Pause.sleep(missingTopicPause, closing);
                    continue;
                }
                if (reportedMissing) {
                    log.info("topic {} found: following it", topic);
                    reportedMissing = false;
                }
                List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                c.assign(parts);
                for (TopicPartition tp : parts) {
                    Long position = resumeAt.get(tp);
                    if (position == null) {
                        c.seekToBeginning(List.of(tp));
                    } else {
                        c.seek(tp, position);
                    }
                }
                follow(c, parts);
            } catch (WakeupException | InterruptException e) {
                if (isClosing()) {
                    return;
                }
                failed(e);
            } catch (RuntimeException e) {
                if (isClosing()) {
                    return;
                }
                failed(e);
            } finally {
                consumer = null;
            }
        }
    }

    private void failed(RuntimeException e) {
        // once per outage as a warning: a site away for an hour must not fill the log
        if (failing) {
            log.debug("reading {} failed again, reopening in {} ms: {}", topic, reopenPause.toMillis(), e.toString());
        } else {
            log.warn("reading {} failed, reopening in {} ms (further failures are logged at debug until it reads "
                    + "again): {}", topic, reopenPause.toMillis(), e.toString());
        }
        failing = true;
        listener.failed(e);
        Pause.sleep(reopenPause, closing);
    }

    private void follow(Consumer<String, byte[]> c, List<TopicPartition> parts) {
        long endAskedAtMs = System.currentTimeMillis();
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        Map<TopicPartition, Long> readyEnd = end;
        Backoff.Attempts retry = retryBackoff.attempts();
        while (!isClosing()) {
            ConsumerRecords<String, byte[]> batch = c.poll(pollTimeout);
            failing = false;
            boolean stalled = false;
            for (TopicPartition tp : batch.partitions()) {
                for (ConsumerRecord<String, byte[]> r : batch.records(tp)) {
                    if (!apply(r)) {
                        // never step over it: read it again from here after the pause
                        c.seek(tp, r.offset());
                        stalled = true;
                        break;
                    }
                }
            }
            for (TopicPartition tp : parts) {
                resumeAt.put(tp, c.position(tp));
            }
            if (endCheckInterval != null && System.currentTimeMillis() - endAskedAtMs >= endCheckInterval.toMillis()) {
                endAskedAtMs = System.currentTimeMillis();
                end = c.endOffsets(parts);
            }
            boolean caughtUp = !stalled && reached(c, parts, end);
            if (caughtUp) {
                caughtUpAtMs = endAskedAtMs;
            }
            // the listener first: whoever waits for "ready" then sees what it made of the records (a gate)
            listener.polled(caughtUp);
            if (!isReady() && !stalled && reached(c, parts, readyEnd)) {
                log.info("topic {} read: {} keys", topic, values.size());
                ready.countDown();
            }
            if (stalled) {
                Pause.sleep(retry.next(), closing);
            } else {
                retry.reset();
            }
        }
    }

    private static boolean reached(Consumer<String, byte[]> c, List<TopicPartition> parts,
                                   Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (c.position(tp) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    /** Applies one record; false when it could not be read yet and must be read again. */
    private boolean apply(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        if (key == null && (r.value() == null || !keysFromValues)) {
            listener.unreadable(r, new IllegalArgumentException("a record without a key"), false);
            return true;
        }
        if (r.value() == null) {
            V previous = values.remove(key);
            if (previous != null) {
                listener.changed(key, previous, null);
            }
            return true;
        }
        V value;
        try {
            value = decoder.decode(key, r.value());
        } catch (RuntimeException e) {
            boolean retrying = retryWhen.test(e);
            if (retrying) {
                log.warn("record {}-{}@{} cannot be read yet, not skipped: reading it again: {}", r.topic(),
                        r.partition(), r.offset(), e.getMessage());
            }
            listener.unreadable(r, e, retrying);
            return !retrying;
        }
        if (value == null) {
            return true;
        }
        String mapKey = keyOf.apply(key, value);
        if (mapKey == null) {
            listener.unreadable(r, new IllegalArgumentException("a record without a key"), false);
            return true;
        }
        V previous = values.put(mapKey, value);
        listener.changed(mapKey, previous, value);
        return true;
    }

    /** Stops the thread (waking it from a poll or a pause) and closes the consumer; waits up to 10 s for it. */
    @Override
    public void close() {
        closing.countDown();
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread.isAlive()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How a {@link CompactedTopicFollower} connects, decodes, retries and reports. */
    public static final class Builder<V> {

        private final String topic;
        private final Decoder<V> decoder;
        private Supplier<Consumer<String, byte[]>> consumers;
        private BiFunction<String, V, String> keyOf = (key, value) -> key;
        private boolean keysFromValues;
        private Predicate<RuntimeException> retryWhen = e -> false;
        private Backoff retryBackoff = Backoff.fixed(Duration.ofSeconds(1));
        private Duration reopenPause = Duration.ofSeconds(1);
        private Duration missingTopicPause = Duration.ofSeconds(1);
        private boolean readyWhenTopicMissing;
        private Duration metadataTimeout;
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration endCheckInterval;
        private Listener<V> listener = new Listener<>() {
        };
        private String threadName;

        private Builder(String topic, Decoder<V> decoder) {
            this.topic = Objects.requireNonNull(topic, "topic");
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            this.threadName = "follower-" + topic;
        }

        /**
         * The consumer's settings (bootstrap servers, isolation level, timeouts); no group is used, and keys and
         * values are read as strings and bytes whatever deserializers the settings name.
         */
        public Builder<V> consumerConfig(Map<String, Object> config) {
            Map<String, Object> copy = new HashMap<>(config);
            copy.remove("key.deserializer");
            copy.remove("value.deserializer");
            this.consumers = () -> new KafkaConsumer<>(copy, new StringDeserializer(), new ByteArrayDeserializer());
            return this;
        }

        /** Where consumers come from (a test passes a {@code MockConsumer}); called again after each failure. */
        public Builder<V> consumers(Supplier<Consumer<String, byte[]>> factory) {
            this.consumers = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** The map's key for a decoded value whose record may lack a key (default: the record's key, required). */
        public Builder<V> keyOf(BiFunction<String, V, String> keyOf) {
            this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
            this.keysFromValues = true;
            return this;
        }

        /** Decoding failures time can cure: such a record is read again after a pause, never skipped. */
        public Builder<V> retryWhen(Predicate<RuntimeException> curable, Backoff backoff) {
            this.retryWhen = Objects.requireNonNull(curable, "curable");
            this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The pause before a new consumer after a failure (default 1 s). */
        public Builder<V> reopenPause(Duration pause) {
            this.reopenPause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /** How often a missing topic is looked for again (default 1 s). */
        public Builder<V> missingTopicPause(Duration pause) {
            this.missingTopicPause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /** Whether a topic found missing counts as read (fail-open users); default no. */
        public Builder<V> readyWhenTopicMissing(boolean readyWhenMissing) {
            this.readyWhenTopicMissing = readyWhenMissing;
            return this;
        }

        /** How long a partition lookup may take (default: the consumer's {@code default.api.timeout.ms}). */
        public Builder<V> metadataTimeout(Duration timeout) {
            this.metadataTimeout = timeout;
            return this;
        }

        /** How long one poll waits for records (default 200 ms); the listener hears after each. */
        public Builder<V> pollTimeout(Duration timeout) {
            this.pollTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How often the topic's end offsets are asked for again, for {@link CompactedTopicFollower#caughtUpAtMs()}
         * (default: only when the consumer opens).
         */
        public Builder<V> endCheckInterval(Duration interval) {
            this.endCheckInterval = interval;
            return this;
        }

        public Builder<V> listener(Listener<V> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder<V> threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The follower, not started yet. */
        public CompactedTopicFollower<V> build() {
            if (consumers == null) {
                throw new IllegalStateException("follower of " + topic + ": no consumer settings (consumerConfig)");
            }
            return new CompactedTopicFollower<>(this);
        }
    }
}
