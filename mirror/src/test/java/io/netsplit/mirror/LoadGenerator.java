package io.netsplit.mirror;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes numbered records (key {@code key}, value the sequence number) to one site's
 * {@code changes} until stopped, one acknowledged write at a time, and remembers which were
 * acknowledged. All records share the key, so they share a partition and its order.
 */
final class LoadGenerator implements AutoCloseable {

    private final String key;
    private final KafkaProducer<String, String> producer;
    private final AtomicLong sent = new AtomicLong();
    private final List<Long> acked = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    LoadGenerator(String bootstrap, String key, long pauseMillis) {
        this.key = key;
        this.producer = Topics.producer(bootstrap);
        this.thread = Thread.ofPlatform().daemon().name("load-" + key).start(() -> {
            while (running) {
                long seq = sent.incrementAndGet();
                try {
                    producer.send(new ProducerRecord<>("changes", key, Long.toString(seq))).get(30, TimeUnit.SECONDS);
                    acked.add(seq);
                } catch (Exception e) {
                    failures.add(seq + ": " + e);
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    String key() {
        return key;
    }

    /** The highest sequence number whose write has started. */
    long lastSent() {
        return sent.get();
    }

    List<Long> acked() {
        return List.copyOf(acked);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops writing and waits for the last write to finish. */
    void stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        producer.close();
    }
}
