package io.netsplit.drills.step;

import io.netsplit.drills.check.Verdict;
import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepKind;

import java.util.List;
import java.util.Locale;

/**
 * {@code await: replicated | drained | converged}: waits, within the scenario's {@code expect.within},
 * until the condition holds, after the background loads; a verdict {@code await <condition> (line N)}
 * fails the drill when it did not.
 */
public record Await(int line, Condition condition) implements Step {

    public static final StepKind KIND = new StepKind("await",
            in -> new Await(in.line(), in.body().choice(Condition.class)));

    @Override
    public String kind() {
        return KIND.name();
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.joinBackground();
        if (!ctx.await(condition, "await", "converged (await, line " + line + ")")) {
            ctx.fail(Verdict.fail("await " + condition.name().toLowerCase(Locale.ROOT) + " (line " + line + ")",
                    "did not hold within " + ctx.scenario().expect().within().toSeconds() + " s",
                    List.of(ctx.describeState())));
        }
    }
}
