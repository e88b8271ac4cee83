package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.ManifestNode;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.Map;
import java.util.Set;

/**
 * {@code kill: {component, site}}: kills (SIGKILL) a component at a site ({@code site} null for a
 * shared component, the registry). A killed writer is not waited for until a {@link Restart}.
 */
public record Kill(int line, Component component, String site) implements Step {

    public static final StepKind KIND = new StepKind("kill", in -> {
        Kill.ProcessAt p = Kill.process(in);
        return new Kill(in.line(), p.component(), p.site());
    });

    @Override
    public String kind() {
        return KIND.name();
    }

    /** The process a kill or restart step names. */
    record ProcessAt(Component component, String site) {
    }

    /** {@code {component, site}}, or {@code {component}} alone for a shared component. */
    static ProcessAt process(StepInput in) {
        Map<String, ManifestNode> a = in.map(Set.of("component", "site"));
        Component c = in.required(a, "component").choice(Component.class);
        String site = null;
        if (!c.shared) {
            site = in.site(in.required(a, "site"));
        } else if (a.containsKey("site")) {
            throw a.get("site").fail("the " + c.labName + " is shared by every site: name no site");
        }
        return new ProcessAt(c, site);
    }

    @Override
    public void execute(StepContext ctx) {
        ctx.target().kill(component, site);
        if (component == Component.WRITER) {
            ctx.writerStopped(site);
        }
        ctx.event("crash", "kill " + component.at(site) + " (line " + line + ")");
        ctx.say("crash", "killed " + component.at(site) + " (SIGKILL)");
    }
}
