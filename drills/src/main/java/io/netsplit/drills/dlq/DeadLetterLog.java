package io.netsplit.drills.dlq;

import io.netsplit.kit.TopicName;
import io.netsplit.lab.TopicReader;
import io.netsplit.reconcile.DeadLetters;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A site's dead letters as they stand: every record of its {@code changes.dlq}, each marked with whether (and where)
 * it was redriven, read from {@code changes.redrive}'s {@link DeadLetters#REDRIVE_DLQ_OFFSET} headers, and whether that redrive
 * was dead-lettered again. Committed records only; the topics' default names.
 */
public final class DeadLetterLog {

    /** How long reading one topic to its end may take. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private DeadLetterLog() {
    }

    /** Every dead letter of {@code site}, in offset order. */
    public static List<DeadLetter> read(String site, String bootstrap) {
        checkOnePartition(bootstrap);
        String dlq = TopicName.DLQ.defaultName();
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(bootstrap, dlq, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), READ_TIMEOUT);
        Map<Long, Long> redriven = redriven(bootstrap);
        Map<Long, Long> deadAgain = new HashMap<>();
        List<DeadLetter> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            Long from = longHeader(r.headers(), DeadLetters.REDRIVE_DLQ_OFFSET);
            if (from != null) {
                deadAgain.putIfAbsent(from, r.offset());
            }
            String source = header(r.headers(), DeadLetters.DLQ_SOURCE_TOPIC) + "@"
                    + header(r.headers(), DeadLetters.DLQ_SOURCE_PARTITION) + ":" + header(r.headers(), DeadLetters.DLQ_SOURCE_OFFSET);
            out.add(new DeadLetter(site, r.offset(), r.timestamp(), r.key(), r.value(), header(r.headers(), DeadLetters.DLQ_REASON),
                    source, from, null, null));
        }
        List<DeadLetter> marked = new ArrayList<>(out.size());
        for (DeadLetter d : out) {
            Long to = redriven.get(d.offset());
            marked.add(to == null ? d : d.redrivenTo(to, deadAgain.get(d.offset())));
        }
        return marked;
    }

    /** Dead-letter offset to the redrive offset it was first redriven to. */
    static Map<Long, Long> redriven(String bootstrap) {
        Map<Long, Long> out = new TreeMap<>();
        String dlq = TopicName.DLQ.defaultName();
        TopicReader.forEach(bootstrap, TopicName.REDRIVE.defaultName(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                READ_TIMEOUT, r -> {
                    Long from = longHeader(r.headers(), DeadLetters.REDRIVE_DLQ_OFFSET);
                    if (from != null && dlq.equals(header(r.headers(), DeadLetters.REDRIVE_DLQ_TOPIC))) {
                        out.putIfAbsent(from, r.offset());
                    }
                });
        return out;
    }

    /** Dead letters are addressed by offset: the topic must have the one partition the reconciler and the lab create. */
    private static void checkOnePartition(String bootstrap) {
        String dlq = TopicName.DLQ.defaultName();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var described = admin.describeTopics(Set.of(dlq)).allTopicNames().get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            int partitions = described.get(dlq).partitions().size();
            if (partitions != 1) {
                throw new IllegalStateException(dlq + " at " + bootstrap + " has " + partitions
                        + " partitions; dead letters are addressed by offset in its one partition");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot describe " + dlq + " at " + bootstrap + ": " + rootMessage(e), e);
        }
    }

    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static Long longHeader(Headers headers, String name) {
        String v = header(headers, name);
        try {
            return v == null ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
