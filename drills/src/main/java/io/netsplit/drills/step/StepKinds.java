package io.netsplit.drills.step;

import io.netsplit.drills.scenario.StepKind;

import java.util.List;

/**
 * Every step kind a manifest may use, listed once: {@code ScenarioParser} finds a step's kind here by
 * its key. A new kind is one record in this package (its {@code KIND}, parse and execute) and a line
 * here; see drills/README.md, "Adding a step or a checker".
 */
public final class StepKinds {

    public static final List<StepKind> ALL = List.of(
            Write.KIND,
            Generate.KIND,
            Isolate.KIND,
            Heal.KIND,
            Flap.KIND,
            Latency.KIND,
            Bandwidth.KIND,
            Wait.KIND,
            Kill.KIND,
            Restart.KIND,
            LoseAudit.KIND,
            Await.KIND);

    private StepKinds() {
    }
}
