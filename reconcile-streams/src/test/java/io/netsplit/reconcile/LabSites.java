package io.netsplit.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabExtension;
import io.netsplit.reconcile.client.ReconcilerClient;
import io.netsplit.reconcile.client.ReconcilerStatus;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** IT fixture: produce ChangeEvents to a lab site, read its topics, call its reconciler's HTTP API. */
final class LabSites implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Lab lab;
    private final Map<String, KafkaProducer<String, ChangeEvent>> producers = new HashMap<>();

    LabSites(Lab lab) {
        this.lab = lab;
    }

    /** Writes an event to a site's topic (default: its local {@code changes}) and waits for the ack. */
    void write(String site, String topic, ChangeEvent e) {
        write(site, topic, e.getKey(), e);
    }

    /** Writes under an explicit record key (to break the key invariant on purpose). */
    void write(String site, String topic, String recordKey, ChangeEvent e) {
        try {
            producer(site).send(new ProducerRecord<>(topic, recordKey, e)).get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot write " + e.getKey() + " to " + site + "/" + topic, ex);
        }
    }

    void write(String site, ChangeEvent e) {
        write(site, "changes", e);
    }

    /** Sends without waiting (bulk load); call {@link #flush(String)} after. */
    void send(String site, ChangeEvent e) {
        producer(site).send(new ProducerRecord<>("changes", e.getKey(), e));
    }

    void flush(String site) {
        producer(site).flush();
    }

    private KafkaProducer<String, ChangeEvent> producer(String site) {
        return producers.computeIfAbsent(site, s -> {
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(s).bootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            AvroSerde<ChangeEvent> serde = AvroSerde.configured(ChangeEvent.class, Map.of("schema.registry.url", lab.registryUrl()), false);
            return new KafkaProducer<>(p, new StringSerializer(), serde.serializer());
        });
    }

    /** {@code GET <reconciler><path>} as JSON; fails on a non-200 answer. */
    JsonNode get(String site, String path) {
        String url = lab.site(site).requireService("reconciler") + path;
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A text body of {@code GET <reconciler><path>} with its status, for /metrics and 404 checks. */
    HttpResponse<String> raw(String site, String path) throws Exception {
        String url = lab.site(site).requireService("reconciler") + path;
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The reconciler's {@code /status}, read as its clients read it. */
    ReconcilerStatus status(String site) {
        return new ReconcilerClient(site, lab.site(site).requireService(ReconcilerLabComponent.NAME)).status();
    }

    JsonNode entity(String site, String key) {
        return get(site, "/entities/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** Sum of the reconciler's reported input lag. */
    long lag(String site) {
        return status(site).inputLag();
    }

    /** Every record of a topic at a site (read_committed), in partition then offset order. */
    <V> List<ConsumerRecord<String, V>> readAll(String site, String topic, Class<V> type) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, lab.site(site).bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (var serde = AvroSerde.configured(asRecord(type), Map.of("schema.registry.url", lab.registryUrl()), false);
             KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    @SuppressWarnings("unchecked")
                    V v = r.value() == null ? null : (V) serde.deserializer().deserialize(topic, r.value());
                    out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), v));
                }
            }
        }
        return out;
    }

    /** The site's audit decisions (its own), by sequence. */
    List<AuditEvent> audit(String site) {
        List<AuditEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, AuditEvent> r : readAll(site, "audit", AuditEvent.class)) {
            if (r.value().getDecidingSite().equals(site)) {
                out.add(r.value());
            }
        }
        out.sort((a, b) -> Long.compare(a.getSequence(), b.getSequence()));
        return out;
    }

    /** The latest converged record per key with this prefix. */
    Map<String, ConvergedRecord> converged(String site, String keyPrefix) {
        Map<String, ConvergedRecord> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, ConvergedRecord> r : readAll(site, "converged", ConvergedRecord.class)) {
            if (r.key() != null && r.key().startsWith(keyPrefix)) {
                out.put(r.key(), r.value());
            }
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class asRecord(Class<?> type) {
        return type;
    }

    /** A replay config for a lab site, with the settings the lab passed to its reconcilers. */
    ReconcileConfig replayConfig(String site) {
        Map<String, String> p = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(LabExtension.SETTING_PREFIX + "reconcile.")) {
                p.put(key.substring(LabExtension.SETTING_PREFIX.length()), v.toString());
            }
        });
        p.put(ReconcileConfig.SITE, site);
        p.put(ReconcileConfig.BOOTSTRAP_SERVERS, lab.site(site).bootstrap());
        p.put(ReconcileConfig.REGISTRY_URL, lab.registryUrl());
        p.putIfAbsent(ReconcileConfig.SITE_ORDER, String.join(",", lab.sites().stream().map(s -> s.name()).toList()));
        return ReconcileConfig.parse(p);
    }

    @Override
    public void close() {
        producers.values().forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}
