package io.netsplit.reconcile.merge.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.netsplit.reconcile.merge.CausalHistories;
import io.netsplit.reconcile.merge.Change;
import io.netsplit.reconcile.merge.ConvergedView;
import io.netsplit.reconcile.merge.Merge;
import io.netsplit.reconcile.merge.MergeConfig;
import io.netsplit.reconcile.merge.MergePolicy;
import io.netsplit.reconcile.merge.MergeState;
import io.netsplit.reconcile.merge.MergeStateCodec;
import io.netsplit.reconcile.merge.Op;
import io.netsplit.reconcile.merge.SiteOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@link Merge#apply} on a realistic mix, in events per second (JMH reports ops/s;
 * one op = one event). The input is one seeded multi-site history: 3 sites writing 2,000 keys with
 * a hot-key skew (half the writes go to 20 keys), 55% patches / 35% upserts / 10% deletes, each site
 * delivering to the others in batches so that some writes are concurrent; the reconciler receives
 * every origin's stream interleaved, plus 5% redeliveries. {@code applyOnly} is the merge;
 * {@code applyConvergeEncode} adds what the Streams adapter does per record: compute the converged
 * view and encode the state for the store. Run: see the module README.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ApplyBenchmark {

    @Param({"highest-version", "field-merge"})
    public String policy;

    private List<Change> delivery;
    private Merge merge;
    private Map<String, MergeState> store;

    @Setup(Level.Trial)
    public void history() {
        Random random = new Random(42);
        List<CausalHistories.Step> script = new ArrayList<>();
        Op[] ops = new Op[20];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = i < 11 ? Op.PATCH : i < 18 ? Op.UPSERT : Op.DELETE;
        }
        for (int i = 0; i < 30_000; i++) {
            if (random.nextInt(10) < 8) {
                int key = random.nextBoolean() ? random.nextInt(20) : random.nextInt(2_000);
                script.add(new CausalHistories.Write(random.nextInt(3), key, ops[random.nextInt(ops.length)],
                        random.nextInt(6), random.nextInt(20)));
            } else {
                int from = random.nextInt(3);
                script.add(new CausalHistories.Deliver(from, (from + 1 + random.nextInt(2)) % 3, 5 + random.nextInt(40)));
            }
        }
        List<Change> events = CausalHistories.simulate(3, script).events();
        Map<String, List<Change>> bySite = new HashMap<>();
        for (Change c : events) {
            bySite.computeIfAbsent(c.site(), s -> new ArrayList<>()).add(c);
        }
        List<List<Change>> streams = new ArrayList<>(bySite.values());
        int[] next = new int[streams.size()];
        List<Change> out = new ArrayList<>(events.size() * 21 / 20);
        while (out.size() < events.size()) {
            int s = random.nextInt(streams.size());
            for (int n = 1 + random.nextInt(50); n > 0 && next[s] < streams.get(s).size(); n--) {
                out.add(streams.get(s).get(next[s]++));
            }
        }
        for (int i = 0, n = events.size() / 20; i < n; i++) {
            out.add(random.nextInt(out.size()), events.get(random.nextInt(events.size())));
        }
        delivery = Collections.unmodifiableList(out);
        merge = new Merge(MergeConfig.of(SiteOrder.of("us-east", "eu-west", "ap-south"),
                MergePolicy.byId(policy, SiteOrder.of("us-east"))));
    }

    @Setup(Level.Iteration)
    public void emptyStore() {
        store = new HashMap<>();
    }

    private int cursor;

    private Change nextEvent() {
        if (cursor == delivery.size()) {
            cursor = 0;
            store = new HashMap<>(); // replay the same stream into an empty store
        }
        return delivery.get(cursor++);
    }

    @Benchmark
    public void applyOnly(Blackhole bh) {
        Change c = nextEvent();
        Merge.Applied a = merge.apply(store.getOrDefault(c.key(), MergeState.empty(c.key())), c);
        store.put(c.key(), a.state());
        bh.consume(a.decisions());
    }

    @Benchmark
    public void applyConvergeEncode(Blackhole bh) {
        Change c = nextEvent();
        Merge.Applied a = merge.apply(store.getOrDefault(c.key(), MergeState.empty(c.key())), c);
        store.put(c.key(), a.state());
        ConvergedView view = merge.converged(a.state());
        bh.consume(view);
        bh.consume(MergeStateCodec.encode(a.state()));
        bh.consume(a.decisions());
    }

    public int events() {
        return delivery.size();
    }
}
