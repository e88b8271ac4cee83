package io.netsplit.writer;

import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.EmbeddedLab;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark of one site's writer (not a test): N concurrent clients PUT to a key space through
 * {@link SiteWriterClient} for a fixed time after a warm-up; reports sustained acknowledged writes/s and latency
 * percentiles. Starts a one-site lab in {@code target/bench-lab} unless {@code --lab-dir} names a running one.
 *
 * <pre>
 * ./mvnw -q -pl site-writer -am install -DskipTests
 * ./mvnw -q -pl site-writer test-compile exec:exec@bench -Dbench.args="--clients 32 --seconds 30"
 * </pre>
 *
 * Options: {@code --clients N} (32), {@code --seconds S} (30), {@code --warmup S} (10), {@code --keys K} (1000),
 * {@code --value-bytes B} (100), {@code --site NAME} (us-east), {@code --lab-dir DIR}.
 */
public final class SiteWriterBenchmark {

    private SiteWriterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--clients", "32", "--seconds", "30", "--warmup", "10",
                "--keys", "1000", "--value-bytes", "100", "--site", "us-east"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        int clients = Integer.parseInt(opts.get("--clients"));
        int seconds = Integer.parseInt(opts.get("--seconds"));
        int warmup = Integer.parseInt(opts.get("--warmup"));
        int keys = Integer.parseInt(opts.get("--keys"));
        String value = "v".repeat(Integer.parseInt(opts.get("--value-bytes")));
        String site = opts.get("--site");

        EmbeddedLab embedded = null;
        Lab lab;
        if (opts.containsKey("--lab-dir")) {
            lab = DescribedLab.open(Path.of(opts.get("--lab-dir")));
        } else {
            embedded = EmbeddedLab.start(LabConfig.parse(Map.of(
                    LabConfig.SITES, site,
                    LabConfig.DIR, Path.of("target", "bench-lab").toAbsolutePath().toString(),
                    LabConfig.DISABLED_COMPONENTS, "mirror,reconciler,audit,links,health")), new PrintStream(System.out, true));
            lab = embedded;
        }
        try {
            SiteWriterClient client = new SiteWriterClient(lab.site(site).requireService("writer"), null,
                    Duration.ofSeconds(30));
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
            long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
            AtomicLong errors = new AtomicLong();
            List<long[]> perClient = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                long[] samples = new long[4_000_000 / clients];
                perClient.add(samples);
                int id = c;
                threads.add(Thread.ofPlatform().name("bench-" + c).start(() -> {
                    int n = 0;
                    long seq = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        String key = "bench-" + ThreadLocalRandom.current().nextInt(keys);
                        try {
                            client.put(key, Map.of("client", id, "seq", seq++, "payload", value));
                        } catch (SiteWriterException e) {
                            errors.incrementAndGet();
                            continue;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= warmupEnd && n < samples.length) {
                            samples[n++] = t1 - t0;
                        }
                    }
                    samples[samples.length - 1] = n; // count in the last slot
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long total = perClient.stream().mapToLong(s -> s[s.length - 1]).sum();
            long[] all = new long[(int) total];
            int k = 0;
            for (long[] s : perClient) {
                int n = (int) s[s.length - 1];
                System.arraycopy(s, 0, all, k, n);
                k += n;
            }
            Arrays.sort(all);
            System.out.printf(Locale.ROOT, "site-writer benchmark: site=%s clients=%d keys=%d value=%dB measured=%ds "
                            + "(after %ds warm-up)%n", site, clients, keys, value.length(), seconds, warmup);
            System.out.printf(Locale.ROOT, "  acknowledged writes/s: %.0f   (errors: %d)%n", total / (double) seconds,
                    errors.get());
            System.out.printf(Locale.ROOT, "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                    pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
