package io.netsplit.drills.run;

import io.netsplit.drills.scenario.Scenario;
import io.netsplit.lab.Lab;

import java.util.function.Function;

/** How a drill reprocesses a site from the beginning: through the reconciler's replay API. */
public final class Replays {

    private Replays() {
    }

    /** A replayer for the lab's sites under the scenario's policy, or null when none is available. */
    public static Function<String, DrillTarget.Replay> forLab(Lab lab, Scenario scenario) {
        return null;
    }
}
