package io.netsplit.mirror;

import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.LabConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * MM2 end to end over a link, on a two-site embedded lab: throughput of a burst (write N records at
 * us-east as fast as the producer can, until the last is readable at eu-west as
 * {@code us-east.changes}) and replication latency of a paced stream (p50/p99 of read time at
 * eu-west minus write time at us-east), with the link up and with 50 ms ± 10 ms on it.
 * Not a test: run it with {@code ./mvnw -q -pl mirror -Pbenchmark test-compile exec:exec}.
 * System properties: {@code bench.records} (100000), {@code bench.rate} (500/s), {@code bench.seconds} (10),
 * and any {@code lab.*} key (e.g. {@code -Dlab.link.driver=embedded}).
 */
public final class MirrorBenchmark {

    private static final String SOURCE = "us-east";
    private static final String TARGET = "eu-west";

    private MirrorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 100_000);
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("lab.")) {
                props.put(k.toString(), v.toString());
            }
        });
        props.putIfAbsent(LabConfig.SITES, SOURCE + "," + TARGET);
        props.putIfAbsent(LabConfig.DIR, Path.of("target", "lab-bench").toAbsolutePath().toString());
        PrintStream out = System.out;
        try (EmbeddedLab lab = EmbeddedLab.start(LabConfig.parse(props), out);
             LinkControl links = LinkControls.fromDescriptor(lab.descriptor())) {
            String src = lab.site(SOURCE).bootstrap();
            String dst = lab.site(TARGET).bootstrap();
            out.printf(Locale.ROOT, "%nlink driver %s, %d records of 200 B per burst, paced %d rec/s for %d s%n",
                    links.driver(), records, rate, seconds);
            burst(src, dst, 30_000); // warm-up: JIT, connections, MM2 task running
            out.printf("%-22s %14s %10s %10s %10s%n", "link", "burst rec/s", "p50 ms", "p99 ms", "max ms");
            row(out, "up", burst(src, dst, records), paced(src, dst, rate, seconds));
            links.latency(SOURCE, TARGET, Duration.ofMillis(50), Duration.ofMillis(10));
            row(out, "50 ms ± 10 ms", burst(src, dst, records), paced(src, dst, rate, seconds));
            links.reset();
        }
    }

    private static void row(PrintStream out, String link, double rps, long[] lat) {
        out.printf(Locale.ROOT, "%-22s %14.0f %10d %10d %10d%n", link, rps, percentile(lat, 50), percentile(lat, 99),
                lat[lat.length - 1]);
    }

    /** Records per second from the first write to the last record readable at the target. */
    private static double burst(String src, String dst, int n) throws Exception {
        try (KafkaConsumer<String, String> consumer = tail(dst)) {
            byte[] value = new byte[200];
            Arrays.fill(value, (byte) 'x');
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProps(src, "65536", "10"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    p.send(new ProducerRecord<>("changes", ("bench-" + (i % 1000)).getBytes(), value));
                }
                p.flush();
            }
            long seen = 0;
            while (seen < n) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("burst not replicated within 5 minutes: " + seen + "/" + n);
                }
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Sorted latencies (ms) of records written at {@code rate} per second for {@code seconds}. */
    private static long[] paced(String src, String dst, int rate, int seconds) throws Exception {
        int n = rate * seconds;
        long[] latencies = new long[n];
        try (KafkaConsumer<String, String> consumer = tail(dst);
             KafkaProducer<String, String> p = new KafkaProducer<>(producerProps(src, "16384", "0"),
                     new StringSerializer(), new StringSerializer())) {
            Thread writer = Thread.ofPlatform().start(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long due = start + i * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(wait);
                    }
                    p.send(new ProducerRecord<>("changes", "paced", Integer.toString(i)));
                }
                p.flush();
            });
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
            while (seen < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    if ("paced".equals(r.key()) && seen < n) {
                        latencies[seen++] = System.currentTimeMillis() - r.timestamp();
                    }
                }
            }
            writer.join();
            if (seen < n) {
                throw new IllegalStateException("paced stream: only " + seen + "/" + n + " records arrived");
            }
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static KafkaConsumer<String, String> tail(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> tps = consumer.partitionsFor(SOURCE + ".changes", Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // resolve the end now, before anything is written
        return consumer;
    }

    private static Properties producerProps(String bootstrap, String batch, String linger) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, batch);
        p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        return p;
    }

    private static long percentile(long[] sorted, int pct) {
        int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
