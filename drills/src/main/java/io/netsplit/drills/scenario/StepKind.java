package io.netsplit.drills.scenario;

import java.util.Set;
import java.util.function.Function;

/**
 * One kind of drill step as a manifest writes it ({@code - heal: [us-east, eu-west]}): its key, the
 * keys a step may hold beside it, and how its body becomes a {@link Step}. The step executes itself
 * ({@link Step#execute}), so a kind's parsing and execution live in one file, the step's record.
 * {@link ScenarioParser} knows the kinds only from the list it is given
 * ({@code io.netsplit.drills.step.StepKinds.ALL} by default).
 *
 * @param name    the step's key in the manifest: {@code write}, {@code isolate}...
 * @param options keys allowed beside the kind's own in the step's mapping (isolate's {@code one-way}, {@code style})
 * @param parser  reads a step of this kind; every problem is a {@link ManifestException} from a {@link ManifestNode}
 */
public record StepKind(String name, Set<String> options, Function<StepInput, ? extends Step> parser) {

    public StepKind {
        options = Set.copyOf(options);
    }

    /** A kind with nothing beside its own key. */
    public StepKind(String name, Function<StepInput, ? extends Step> parser) {
        this(name, Set.of(), parser);
    }

    public Step parse(StepInput in) {
        return parser.apply(in);
    }
}
