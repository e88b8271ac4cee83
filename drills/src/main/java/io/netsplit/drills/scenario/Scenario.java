package io.netsplit.drills.scenario;

import java.util.List;

/**
 * A drill scenario: an immutable, validated value built by {@link ScenarioParser} from a YAML
 * manifest. Identified by {@code id} and {@code seed}: the same pair gives equivalent runs.
 */
public record Scenario(String id, String description, List<String> sites, PolicySpec policy, long seed,
                       List<Step> steps, Expectations expect, String source) {

    public Scenario {
        sites = List.copyOf(sites);
        steps = List.copyOf(steps);
    }
}
