package io.netsplit.drills.step;

import io.netsplit.drills.check.AckedWrite;
import io.netsplit.drills.run.StepContext;
import io.netsplit.drills.scenario.ManifestNode;
import io.netsplit.drills.scenario.Step;
import io.netsplit.drills.scenario.StepInput;
import io.netsplit.drills.scenario.StepKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code write: {site, key, fields, repeat, op}}: a write through the site-writer API, {@code repeat}
 * times in a row, each one after the previous was answered.
 */
public record Write(int line, String site, String key, Op op, Map<String, Object> fields, int repeat) implements Step {

    public static final StepKind KIND = new StepKind("write", Write::parse);
    private static final int MAX_REPEAT = 100_000;

    @Override
    public String kind() {
        return KIND.name();
    }

    static Write parse(StepInput in) {
        ManifestNode body = in.body();
        Map<String, ManifestNode> a = in.map(Set.of("site", "key", "fields", "repeat", "op"));
        String site = in.site(in.required(a, "site"));
        String key = in.required(a, "key").str();
        if (key.length() > 256) {
            throw a.get("key").fail("keys are at most 256 characters");
        }
        Op op = a.containsKey("op") ? a.get("op").choice(Op.class) : Op.UPSERT;
        Map<String, Object> fields = new LinkedHashMap<>();
        if (a.containsKey("fields")) {
            a.get("fields").map(null).forEach((f, v) -> fields.put(f, v.value()));
        }
        if (op != Op.DELETE && fields.isEmpty()) {
            throw body.fail("a " + op.name().toLowerCase(Locale.ROOT) + " needs 'fields'");
        }
        if (op == Op.DELETE && !fields.isEmpty()) {
            throw a.get("fields").fail("a delete takes no fields");
        }
        int repeat = a.containsKey("repeat") ? (int) a.get("repeat").integer(1, MAX_REPEAT) : 1;
        return new Write(in.line(), site, key, op, Collections.unmodifiableMap(fields), repeat);
    }

    @Override
    public void execute(StepContext ctx) {
        List<String> dots = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            AckedWrite a = ctx.write(site, key, op, fields);
            if (a != null) {
                dots.add(a.dot() + " v" + a.version());
            }
        }
        ctx.say("write", op.name().toLowerCase(Locale.ROOT) + " " + site + " " + key + " " + fields
                + (repeat > 1 ? " ×" + repeat : "") + " → " + summarize(dots));
    }

    private static String summarize(List<String> dots) {
        if (dots.size() <= 3) {
            return String.join(", ", dots);
        }
        return dots.get(0) + " … " + dots.get(dots.size() - 1);
    }
}
