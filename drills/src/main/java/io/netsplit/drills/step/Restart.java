package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepKind;

/**
 * {@code restart: {component, site}}: starts a component at a site again and waits until it is
 * ready ({@code site} null for a shared one). Parsed as {@link Kill} is.
 */
public record Restart(int line, Component component, String site) implements Step {

    public static final StepKind KIND = new StepKind("restart", in -> {
        Kill.ProcessAt p = Kill.process(in);
        return new Restart(in.line(), p.component(), p.site());
    });

    @Override
    public String kind() {
        return KIND.name();
    }

    @Override
    public void execute(StepContext ctx) {
        long t0 = ctx.now();
        ctx.target().restart(component, site);
        if (component == Component.WRITER) {
            ctx.writerStarted(site);
        }
        ctx.event("restart", "restart " + component.at(site) + " (line " + line + ")");
        ctx.say("restart", component.at(site) + " ready in " + StepContext.seconds(ctx.now() - t0));
    }
}
