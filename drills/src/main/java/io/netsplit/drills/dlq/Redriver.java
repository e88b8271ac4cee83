package io.netsplit.drills.dlq;

import io.netsplit.kit.Pause;
import io.netsplit.kit.TopicName;
import io.netsplit.reconcile.DeadLetters;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Topic;
import io.netsplit.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Puts a site's dead letters back for its reconciler to read again, and proves what became of each. A dead letter is
 * written, key and bytes unchanged, to the site's {@code changes.redrive} (local, never mirrored: a foreign site's event
 * never enters this site's own {@code changes}) with the {@link DeadLetters} redrive headers, unless the redrive topic
 * already names its offset (a second redrive injects nothing). Then it waits, per event, for proof: its dot covered by
 * the site's converged record of its key ({@link Result#MERGED}), or a dead letter naming the redriven offset
 * ({@link Result#DEAD_AGAIN}). An event whose dot the site had already covered is not injected
 * ({@link Result#ALREADY_MERGED}). Merging by dot is idempotent, so a redrive that was injected twice (two operators at
 * once) merges once and is audited as a duplicate.
 */
public final class Redriver {

    /** What became of one dead letter. */
    public enum Result {
        /** Its dot is in the site's converged vector of its key now, and was not before. */
        MERGED,
        /** Its dot was in the site's converged vector before the redrive: nothing was injected. */
        ALREADY_MERGED,
        /** The reconciler dead-lettered the redriven record again. */
        DEAD_AGAIN,
        /** Neither within the wait. */
        NOT_MERGED;

        /** Whether the event is in the site's state. */
        public boolean merged() {
            return this == MERGED || this == ALREADY_MERGED;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One dead letter's outcome.
     *
     * @param redriveOffset where it was redriven to (now or by an earlier redrive); null when not injected
     * @param injected      whether this redrive wrote it
     * @param detail        the proof, or why there is none
     */
    public record Outcome(DeadLetter letter, Long redriveOffset, boolean injected, Result result, String detail) {
    }

    private static final long POLL_MILLIS = 200;

    private final String site;
    private final String bootstrap;
    private final String registryUrl;

    public Redriver(String site, String bootstrap, String registryUrl) {
        this.site = site;
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
    }

    /** Redrives {@code letters} (of this site) and waits up to {@code wait} for the outcome of each. */
    public List<Outcome> redrive(List<DeadLetter> letters, Duration wait) {
        Map<String, ?> serdes = Topics.registry(registryUrl);
        try (Topic<String, ChangeEvent> changes = Topics.changes(serdes);
             Topic<String, ConvergedRecord> converged = Topics.converged(serdes);
             Tail tail = new Tail(bootstrap)) {
            Map<Long, Optional<ChangeEvent>> events = new LinkedHashMap<>();
            Map<Long, String> undecodable = new HashMap<>();
            for (DeadLetter d : letters) {
                try {
                    events.put(d.offset(), Optional.ofNullable(d.value() == null ? null
                            : changes.valueSerde().deserializer().deserialize(TopicName.CHANGES.defaultName(), d.value())));
                } catch (RuntimeException e) {
                    events.put(d.offset(), Optional.empty());
                    undecodable.put(d.offset(), DeadLetterLog.rootMessage(e));
                }
            }
            tail.catchUp();
            Map<Long, Long> redriveOffsets = new HashMap<>();
            List<DeadLetter> toInject = new ArrayList<>();
            Map<Long, Outcome> decided = new HashMap<>();
            for (DeadLetter d : letters) {
                Optional<ChangeEvent> e = events.get(d.offset());
                if (d.redriveOffset() != null) {
                    redriveOffsets.put(d.offset(), d.redriveOffset());
                } else if (e.isPresent() && covered(tail, converged, e.get())) {
                    decided.put(d.offset(), new Outcome(d, null, false, Result.ALREADY_MERGED,
                            "dot " + dot(e.get()) + " was already in " + site + "'s converged vector of '" + e.get().getKey()
                                    + "'; not redriven"));
                } else {
                    toInject.add(d);
                }
            }
            Set<Long> injected = new java.util.HashSet<>();
            for (Map.Entry<Long, Long> w : inject(toInject).entrySet()) {
                redriveOffsets.put(w.getKey(), w.getValue());
                injected.add(w.getKey());
            }
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                tail.catchUp();
                for (DeadLetter d : letters) {
                    if (decided.containsKey(d.offset())) {
                        continue;
                    }
                    Long to = redriveOffsets.get(d.offset());
                    Optional<ChangeEvent> e = events.get(d.offset());
                    ConsumerRecord<byte[], byte[]> again = tail.deadAgain.get(d.offset());
                    if (e.isPresent() && covered(tail, converged, e.get())) {
                        decided.put(d.offset(), new Outcome(d, to, injected.contains(d.offset()), Result.MERGED,
                                "dot " + dot(e.get()) + " is in " + site + "'s converged vector of '" + e.get().getKey() + "' "
                                        + converged(tail, converged, e.get().getKey()).getVersionVector()));
                    } else if (again != null) {
                        decided.put(d.offset(), new Outcome(d, to, injected.contains(d.offset()), Result.DEAD_AGAIN,
                                "dead-lettered again at offset " + again.offset() + ": "
                                        + DeadLetterLog.header(again.headers(), DeadLetters.DLQ_REASON)));
                    }
                }
                if (decided.size() == letters.size() || System.nanoTime() >= deadline) {
                    break;
                }
                if (!Pause.sleep(POLL_MILLIS)) {
                    break;
                }
            }
            List<Outcome> out = new ArrayList<>();
            for (DeadLetter d : letters) {
                Outcome o = decided.get(d.offset());
                if (o == null) {
                    String why = undecodable.containsKey(d.offset())
                            ? "cannot be decoded here to look for its dot (" + undecodable.get(d.offset()) + ")"
                            : "its dot is not in " + site + "'s converged record and it was not dead-lettered again";
                    o = new Outcome(d, redriveOffsets.get(d.offset()), injected.contains(d.offset()), Result.NOT_MERGED,
                            why + " within " + wait.toSeconds() + " s");
                }
                out.add(o);
            }
            return out;
        }
    }

    /** Writes each dead letter to the redrive topic; its offset to the redrive offset. */
    private Map<Long, Long> inject(List<DeadLetter> letters) {
        Map<Long, Long> out = new LinkedHashMap<>();
        if (letters.isEmpty()) {
            return out;
        }
        ensureRedriveTopic();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        String topic = TopicName.REDRIVE.defaultName();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (DeadLetter d : letters) {
                RecordHeaders h = new RecordHeaders();
                h.add(DeadLetters.REDRIVE_DLQ_TOPIC, utf8(TopicName.DLQ.defaultName()));
                h.add(DeadLetters.REDRIVE_DLQ_OFFSET, utf8(Long.toString(d.offset())));
                String[] source = d.source().split("[@:]", 3);
                if (source.length == 3) {
                    h.add(DeadLetters.REDRIVE_SOURCE_TOPIC, utf8(source[0]));
                    h.add(DeadLetters.REDRIVE_SOURCE_PARTITION, utf8(source[1]));
                    h.add(DeadLetters.REDRIVE_SOURCE_OFFSET, utf8(source[2]));
                }
                if (d.reason() != null) {
                    h.add(DeadLetters.REDRIVE_REASON, utf8(d.reason()));
                }
                out.put(d.offset(), producer.send(new ProducerRecord<>(topic, 0, null, d.key(), d.value(), h)).get(30, TimeUnit.SECONDS).offset());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redriving", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot write to " + topic + " at " + site + " (" + bootstrap + "): "
                    + DeadLetterLog.rootMessage(e) + "; redriven so far: " + out, e);
        }
        return out;
    }

    /** The reconciler creates the redrive topic at start; a lab started before it existed gets it here. */
    private void ensureRedriveTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(Set.of(new NewTopic(TopicName.REDRIVE.defaultName(), Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", "-1")))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + TopicName.REDRIVE.defaultName() + " at " + site + ": "
                        + DeadLetterLog.rootMessage(e), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + TopicName.REDRIVE.defaultName() + " at " + site + ": timed out", e);
        }
    }

    private static boolean covered(Tail tail, Topic<String, ConvergedRecord> topic, ChangeEvent e) {
        ConvergedRecord r = converged(tail, topic, e.getKey());
        if (r == null) {
            return false;
        }
        Long have = r.getVersionVector().get(e.getDot().getSite());
        return have != null && have >= e.getDot().getCounter();
    }

    private static ConvergedRecord converged(Tail tail, Topic<String, ConvergedRecord> topic, String key) {
        byte[] value = tail.converged.get(key);
        return value == null ? null : topic.valueSerde().deserializer().deserialize(topic.name(), value);
    }

    private static String dot(ChangeEvent e) {
        return e.getDot().getSite() + ":" + e.getDot().getCounter();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Follows the site's {@code converged} (newest value per key) and {@code changes.dlq} (dead letters naming the
     * offset they were redriven from), committed records only, from the beginning.
     */
    private static final class Tail implements AutoCloseable {

        final Map<String, byte[]> converged = new HashMap<>();
        final Map<Long, ConsumerRecord<byte[], byte[]>> deadAgain = new HashMap<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions = new ArrayList<>();

        Tail(String bootstrap) {
            Map<String, Object> p = new HashMap<>();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (String topic : List.of(TopicName.CONVERGED.defaultName(), TopicName.DLQ.defaultName())) {
                for (PartitionInfo i : consumer.partitionsFor(topic, DeadLetterLog.READ_TIMEOUT)) {
                    partitions.add(new TopicPartition(topic, i.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads up to the end offsets of this moment. */
        void catchUp() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DeadLetterLog.READ_TIMEOUT);
            long deadline = System.nanoTime() + DeadLetterLog.READ_TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading converged and changes.dlq did not reach their end within "
                            + DeadLetterLog.READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(POLL_MILLIS))) {
                    if (r.topic().equals(TopicName.DLQ.defaultName())) {
                        Long from = DeadLetterLog.longHeader(r.headers(), DeadLetters.REDRIVE_DLQ_OFFSET);
                        if (from != null) {
                            deadAgain.putIfAbsent(from, r);
                        }
                    } else if (r.key() != null) {
                        converged.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
