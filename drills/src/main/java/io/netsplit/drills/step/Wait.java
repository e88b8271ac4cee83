package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepKind;

import java.time.Duration;

/** {@code wait: 2s}: waits a fixed time, for faults that need a duration, never for correctness. */
public record Wait(int line, Duration duration) implements Step {

    public static final StepKind KIND = new StepKind("wait", in -> new Wait(in.line(), in.body().duration()));

    @Override
    public String kind() {
        return KIND.name();
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.say("wait", duration.toMillis() + " ms");
        ctx.pause(duration.toMillis());
    }
}
