package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.ManifestNode;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code isolate: [a, b]} (with {@code one-way: true} and {@code style: refuse|blackhole} beside it or
 * inside {@code {pair: [a, b], ...}}): cuts a pair of sites, both directions or only {@code a → b}.
 */
public record Isolate(int line, String a, String b, boolean oneWay, CutStyle style) implements Step {

    public static final StepKind KIND = new StepKind("isolate", Set.of("one-way", "style"), Isolate::parse);

    @Override
    public String kind() {
        return KIND.name();
    }

    static Isolate parse(StepInput in) {
        StepInput.PairBody p = in.pairOrMap(Set.of("pair", "one-way", "style"));
        Map<String, ManifestNode> opts = new HashMap<>(p.args());
        opts.putAll(in.options());
        boolean oneWay = opts.containsKey("one-way") && opts.get("one-way").bool();
        CutStyle style = opts.containsKey("style") ? opts.get("style").choice(CutStyle.class) : CutStyle.REFUSE;
        return new Isolate(in.line(), p.a(), p.b(), oneWay, style);
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.target().isolate(a, b, oneWay, style);
        ctx.linkChanged("fault", "isolate " + a + (oneWay ? " -> " : " <-> ") + b, line);
        ctx.say("fault", "isolate " + a + (oneWay ? " → " : " ↔ ") + b + " ("
                + style.name().toLowerCase(Locale.ROOT) + "): partition active");
    }
}
