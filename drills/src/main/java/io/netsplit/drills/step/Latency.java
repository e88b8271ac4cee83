package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.time.Duration;
import java.util.Set;

/** {@code latency: {pair: [a, b], latency, jitter}}: adds latency (with jitter) to both directions between a pair. */
public record Latency(int line, String a, String b, Duration latency, Duration jitter) implements Step {

    public static final StepKind KIND = new StepKind("latency", Latency::parse);

    @Override
    public String kind() {
        return KIND.name();
    }

    static Latency parse(StepInput in) {
        StepInput.PairBody p = in.pairOrMap(Set.of("pair", "latency", "jitter"));
        Duration latency = p.required("latency").duration();
        Duration jitter = p.args().containsKey("jitter") ? p.args().get("jitter").duration() : Duration.ZERO;
        return new Latency(in.line(), p.a(), p.b(), latency, jitter);
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.target().latency(a, b, latency, jitter);
        ctx.linkChanged("degrade", "latency " + a + " <-> " + b + " "
                + latency.toMillis() + "ms ±" + jitter.toMillis() + "ms", line);
        ctx.say("fault", "latency " + a + " ↔ " + b + " " + latency.toMillis() + " ms ± " + jitter.toMillis() + " ms");
    }
}
