package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.time.Duration;
import java.util.Set;

/** {@code flap: {pair: [a, b], times, period}}: isolates and heals a pair {@code times} times, {@code period} per cycle. */
public record Flap(int line, String a, String b, int times, Duration period) implements Step {

    public static final StepKind KIND = new StepKind("flap", Flap::parse);

    @Override
    public String kind() {
        return KIND.name();
    }

    static Flap parse(StepInput in) {
        StepInput.PairBody p = in.pairOrMap(Set.of("pair", "times", "period"));
        int times = (int) p.required("times").integer(1, 1000);
        Duration period = p.required("period").duration();
        if (period.toMillis() < 200) {
            throw p.required("period").fail("a flap period under 200ms cannot cut and heal a link");
        }
        return new Flap(in.line(), p.a(), p.b(), times, period);
    }

    /** Each cut and each heal is a link change; each heal gets its own convergence figure. */
    @Override
    public void execute(StepContext ctx) {
        long half = period.toMillis() / 2;
        String pair = "flap " + a + " <-> " + b + ": ";
        for (int n = 1; n <= times; n++) {
            ctx.target().isolate(a, b, false, CutStyle.REFUSE);
            ctx.linkChanged("fault", pair + "cut " + n + "/" + times, line);
            ctx.pause(half);
            ctx.target().heal(a, b);
            ctx.linkHealed(pair + "heal " + n + "/" + times, line);
            ctx.pause(period.toMillis() - half);
        }
        ctx.say("fault", "flapped " + a + " ↔ " + b + " " + times + " times, period " + period.toMillis() + " ms");
    }
}
