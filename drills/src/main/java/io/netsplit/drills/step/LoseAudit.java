package io.netsplit.drills.step;

import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.ManifestNode;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.Map;
import java.util.Set;

/** {@code lose-audit: {site, from, to}}: deletes audit records with sequence numbers {@code from..to} from a site's audit store. */
public record LoseAudit(int line, String site, long from, long to) implements Step {

    public static final StepKind KIND = new StepKind("lose-audit", LoseAudit::parse);

    @Override
    public String kind() {
        return KIND.name();
    }

    static LoseAudit parse(StepInput in) {
        Map<String, ManifestNode> a = in.map(Set.of("site", "from", "to"));
        String site = in.site(in.required(a, "site"));
        long from = in.required(a, "from").integer(0, Long.MAX_VALUE);
        long to = in.required(a, "to").integer(0, Long.MAX_VALUE);
        if (to < from) {
            throw a.get("to").fail("'to' (" + to + ") is before 'from' (" + from + ")");
        }
        return new LoseAudit(in.line(), site, from, to);
    }

    @Override
    public void execute(StepContext ctx) {
        long n = ctx.target().loseAudit(site, from, to);
        ctx.event("audit-loss", "lose audit " + site + " " + from + "-" + to + " (line " + line + ")");
        ctx.say("fault", "deleted " + n + " audit records " + from + ".." + to + " from " + site + "'s store");
    }
}
