package io.netsplit.reconcile.merge.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.openjdk.jmh.infra.Blackhole;

/**
 * A companion to {@link ApplyBenchmark} for busy shared machines: replays the same input and
 * reports events per <em>CPU</em>-second of the benchmark thread, which other processes' load
 * barely changes (wall-clock JMH figures do). Not a replacement for JMH on an idle machine.
 *
 * <pre>./mvnw -q -pl reconcile-streams test-compile exec:exec@bench -Dbench.main=io.netsplit.reconcile.merge.bench.ApplyCpuThroughput -Dbench.args=</pre>
 */
public final class ApplyCpuThroughput {

    private ApplyCpuThroughput() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (String policy : new String[] {"highest-version", "field-merge"}) {
            ApplyBenchmark b = new ApplyBenchmark();
            b.policy = policy;
            b.history();
            for (String mode : new String[] {"applyOnly", "applyConvergeEncode"}) {
                double best = 0;
                double sum = 0;
                int measured = 0;
                for (int pass = 0; pass < 8; pass++) {
                    b.emptyStore();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < b.events(); i++) {
                        if (mode.equals("applyOnly")) {
                            b.applyOnly(bh);
                        } else {
                            b.applyConvergeEncode(bh);
                        }
                    }
                    double rate = b.events() / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
                    if (pass >= 3) { // the first passes are warm-up
                        sum += rate;
                        measured++;
                        best = Math.max(best, rate);
                    }
                }
                System.out.printf("%-20s %-16s %,10.0f events/cpu-s (mean of %d passes over %,d events; best %,.0f)%n",
                        mode, policy, sum / measured, measured, b.events(), best);
            }
        }
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }
}
