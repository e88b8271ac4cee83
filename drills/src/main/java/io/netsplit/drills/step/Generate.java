package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.ManifestNode;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code generate: {count, keys, key-prefix, hot-keys, hot-weight, conflict-rate, sites, background}}:
 * seeded load, {@code count} writes over {@code keys} keys named {@code <prefix><n>}, spread over
 * {@code sites}; a {@code hotKeys} fraction of the keys receives {@code hotWeight} of the writes;
 * with probability {@code conflictRate} a write is mirrored by a concurrent write to the same key
 * at another site (conflicts only arise where the link is cut). A {@code background} load runs
 * while the following steps execute; the runner waits for it before the next {@code await} and
 * before the final heal.
 */
public record Generate(int line, int count, int keys, String keyPrefix, double hotKeys, double hotWeight,
                       double conflictRate, List<String> sites, boolean background) implements Step {

    public static final StepKind KIND = new StepKind("generate", Generate::parse);

    /**
     * Writes a {@code generate} step keeps in flight. One at a time, a drill waited out every round
     * trip and made about 9 writes/s against writers that take ~180/s from one client; 16 let the
     * writers set the pace while a key's writes still go one after another.
     */
    public static final int IN_FLIGHT = 16;

    @Override
    public String kind() {
        return KIND.name();
    }

    static Generate parse(StepInput in) {
        Map<String, ManifestNode> a = in.map(Set.of("count", "keys", "key-prefix", "hot-keys", "hot-weight",
                "conflict-rate", "sites", "background"));
        int count = (int) in.required(a, "count").integer(1, 1_000_000);
        int keys = (int) in.required(a, "keys").integer(1, 1_000_000);
        String prefix = a.containsKey("key-prefix") ? a.get("key-prefix").str() : "gen-";
        double hot = a.containsKey("hot-keys") ? a.get("hot-keys").fraction() : 0.0;
        double weight = a.containsKey("hot-weight") ? a.get("hot-weight").fraction() : 0.0;
        double conflict = a.containsKey("conflict-rate") ? a.get("conflict-rate").fraction() : 0.0;
        List<String> gsites = a.containsKey("sites") ? in.siteList(a.get("sites"), 1) : in.sites();
        if (conflict > 0 && gsites.size() < 2) {
            throw a.get("conflict-rate").fail("conflicts need at least two sites");
        }
        boolean background = a.containsKey("background") && a.get("background").bool();
        return new Generate(in.line(), count, keys, prefix, hot, weight, conflict, gsites, background);
    }

    /** One write the step drew: where, which key, the fields, and whether it pairs with the one before. */
    record PlannedWrite(String site, String key, Map<String, Object> fields, boolean partner) {
        PlannedWrite {
            fields = Collections.unmodifiableMap(new TreeMap<>(fields));
        }
    }

    @Override
    public void execute(StepContext ctx) {
        if (background) {
            ctx.say("load", "background load of " + count + " writes started");
            ctx.inBackground(() -> load(ctx));
        } else {
            load(ctx);
        }
    }

    /**
     * Draws every write first, so the same scenario and seed give the same writes, then issues them
     * with up to {@link #IN_FLIGHT} in flight. A key's writes go in draw order, each after the
     * previous one to that key was answered, so its causal chain at a site is the drawn one.
     */
    private void load(StepContext ctx) {
        List<PlannedWrite> plan = draw(ctx.scenario().seed());
        long t0 = ctx.now();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger pairs = new AtomicInteger();
        AtomicInteger refusedHere = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        ExecutorService writers = Executors.newFixedThreadPool(IN_FLIGHT,
                Thread.ofPlatform().daemon().name("drill-write-" + line + "-", 0).factory());
        Map<String, CompletableFuture<Void>> lastWriteTo = new HashMap<>();
        try {
            for (PlannedWrite w : plan) {
                CompletableFuture<Void> previous = lastWriteTo.getOrDefault(w.key(), CompletableFuture.completedFuture(null));
                lastWriteTo.put(w.key(), previous.thenRunAsync(() -> {
                    if (failure.get() != null) {
                        return; // one write failed: the step fails, issue nothing more
                    }
                    try {
                        pairs.addAndGet(w.partner() ? 1 : 0);
                        if (ctx.write(w.site(), w.key(), Op.UPSERT, w.fields()) != null) {
                            writes.incrementAndGet();
                        } else {
                            refusedHere.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }, writers));
            }
            CompletableFuture.allOf(lastWriteTo.values().toArray(CompletableFuture[]::new)).join();
        } finally {
            writers.shutdown();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        ctx.say("load", "generated " + writes + " acknowledged writes over " + keys + " keys (" + pairs
                + " concurrent pairs attempted" + (refusedHere.get() > 0 ? ", " + refusedHere + " refused" : "")
                + ") in " + StepContext.seconds(ctx.now() - t0));
    }

    /**
     * The step's writes, in the order drawn from {@code Random(seed * 31 + line)}: per write the key
     * (a hot one with probability hot-weight), the site, then whether a concurrent write to the same
     * key at another site follows it, and which site.
     */
    List<PlannedWrite> draw(long seed) {
        Random random = new Random(seed * 31 + line);
        int hotCount = (int) Math.ceil(keys * hotKeys);
        List<PlannedWrite> plan = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int k;
            if (hotCount > 0 && random.nextDouble() < hotWeight) {
                k = random.nextInt(hotCount);
            } else {
                k = random.nextInt(keys);
            }
            String key = keyPrefix + k;
            String site = sites.get(random.nextInt(sites.size()));
            plan.add(new PlannedWrite(site, key, Map.of("n", (long) n, "by", site), false));
            if (conflictRate > 0 && random.nextDouble() < conflictRate) {
                List<String> others = new ArrayList<>(sites);
                others.remove(site);
                String other = others.get(random.nextInt(others.size()));
                plan.add(new PlannedWrite(other, key, Map.of("n", (long) n, "by", other), true));
            }
        }
        return plan;
    }
}
