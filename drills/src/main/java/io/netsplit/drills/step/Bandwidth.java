package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.Set;

/** {@code bandwidth: {pair: [a, b], rate}}: limits the bandwidth of both directions between a pair, in KB/s. */
public record Bandwidth(int line, String a, String b, long kilobytesPerSecond) implements Step {

    public static final StepKind KIND = new StepKind("bandwidth", Bandwidth::parse);

    @Override
    public String kind() {
        return KIND.name();
    }

    static Bandwidth parse(StepInput in) {
        StepInput.PairBody p = in.pairOrMap(Set.of("pair", "rate"));
        return new Bandwidth(in.line(), p.a(), p.b(), p.required("rate").integer(1, 10_000_000));
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.target().bandwidth(a, b, kilobytesPerSecond);
        ctx.linkChanged("degrade", "bandwidth " + a + " <-> " + b + " " + kilobytesPerSecond + " KB/s", line);
        ctx.say("fault", "bandwidth " + a + " ↔ " + b + " " + kilobytesPerSecond + " KB/s");
    }
}
