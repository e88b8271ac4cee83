package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.Set;

/** {@code heal: [a, b]}: restores both directions between a pair and removes their toxics. */
public record Heal(int line, String a, String b) implements Step {

    public static final StepKind KIND = new StepKind("heal", Heal::parse);

    @Override
    public String kind() {
        return KIND.name();
    }

    static Heal parse(StepInput in) {
        StepInput.PairBody p = in.pairOrMap(Set.of("pair"));
        return new Heal(in.line(), p.a(), p.b());
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.target().heal(a, b);
        ctx.linkHealed("heal " + a + " <-> " + b, line);
        ctx.say("heal", "heal " + a + " ↔ " + b + ": partition healed");
    }
}
