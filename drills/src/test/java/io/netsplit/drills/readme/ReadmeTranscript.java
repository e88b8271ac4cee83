package io.netsplit.drills.readme;

import java.time.Duration;
import java.util.List;

/**
 * Every command of {@code README.md} and {@code drills/README.md}, in the order a user meets them,
 * with how the process-level transcript ({@code ReadmeTranscriptIT}) runs it. Per file, the commands
 * here are exactly the README's, in the README's order ({@code ReadmeCommandsTest} checks it); the
 * files interleave where one continues on the other's lab.
 */
public final class ReadmeTranscript {

    public static final String README = "README.md";
    public static final String DRILLS_README = "drills/README.md";

    /** How a command is run. */
    public enum Mode {
        /** Once; its exit code and output must be what the README shows. */
        ONCE,
        /**
         * Again, each time as a new process, until it exits with the step's code and prints what the
         * README shows (a checker that needs a few probes to see a partition), within the step's bound.
         */
        UNTIL_SHOWN,
        /** A command that runs until stopped ({@code --watch}): read until the README's lines appeared, then stop it. */
        UNTIL_STOPPED,
        /** Run by {@code .ci/run} itself, which is the test run: not again from inside it. */
        CI
    }

    /** One README command and how to run it. */
    public record Step(String file, String command, Mode mode, int exit, Duration within) {
    }

    private static final Duration DEFAULT = Duration.ofMinutes(3);

    /** The transcript, in the order the IT runs it. */
    public static final List<Step> STEPS = List.of(
            // README.md, Quickstart: the drill on its own lab, then the tests (which are this run)
            once(README, "bin/netsplit drill run drills/scenarios/golden-path.yaml", Duration.ofMinutes(5)),
            new Step(README, "./mvnw verify", Mode.CI, 0, Duration.ZERO),
            // README.md, Drills: the seed's transcript on a lab that outlives the command that started it
            once(README, "bin/netsplit lab up", Duration.ofMinutes(5)),
            once(README, "bin/netsplit lab status"),
            once(README, "bin/netsplitctl isolate us-east eu-west"),
            once(README, "east=$(bin/netsplit lab url us-east writer) west=$(bin/netsplit lab url eu-west writer); "
                    + "for i in $(seq 14); do "
                    + "curl -sf -X PUT $east/entities/seed-$i -H 'Content-Type: application/json' -d '{\"status\":\"online\"}' -o /dev/null; "
                    + "curl -sf -X PUT $west/entities/seed-$i -H 'Content-Type: application/json' -d '{\"status\":\"offline\"}' -o /dev/null; "
                    + "done"),
            new Step(README, "bin/reconcilectl health", Mode.UNTIL_SHOWN, 4, Duration.ofSeconds(90)),
            once(README, "bin/netsplitctl heal us-east eu-west"),
            once(README, "bin/reconcilectl verify --wait 60s"),
            once(README, "bin/reconcilectl status"),
            once(README, "bin/netsplit conflicts list --pending"),
            new Step(README, "bin/netsplit health --watch", Mode.UNTIL_STOPPED, 0, Duration.ofSeconds(60)),
            once(README, "bin/drill list"),
            once(README, "bin/drill run drills/scenarios/fourteen-conflicts.yaml --lab ~/.netsplit/lab"),
            // drills/README.md, Commands: the same lab
            once(DRILLS_README, "bin/netsplitctl isolate us-east eu-west --one-way --style blackhole"),
            once(DRILLS_README, "bin/netsplitctl status"),
            once(DRILLS_README, "bin/netsplitctl heal us-east eu-west"),
            once(DRILLS_README, "bin/netsplitctl flap us-east eu-west --times 5 --period 3s"),
            once(DRILLS_README, "bin/netsplitctl latency us-east eu-west 80ms --jitter 20ms"),
            once(DRILLS_README, "bin/netsplitctl bandwidth us-east eu-west 64"),
            once(DRILLS_README, "bin/netsplitctl status"),
            once(DRILLS_README, "bin/netsplitctl heal us-east eu-west"),
            once(DRILLS_README, "bin/reconcilectl status --per-site"),
            once(DRILLS_README, "bin/reconcilectl verify --wait 60s"),
            once(DRILLS_README, "bin/drill run one-way --lab ~/.netsplit/lab --report drill-reports/one-way-on-lab"),
            once(DRILLS_README, "bin/netsplit audit verify"),
            once(DRILLS_README, "bin/netsplit audit repair --site us-east"),
            once(DRILLS_README, "bin/netsplit conflicts list --site us-east --key seed-1"),
            once(DRILLS_README, "bin/netsplit conflicts show 3c59f44b4968ec967536049ae4fdac1c --site eu-west"),
            once(DRILLS_README, "bin/netsplit conflicts export --format csv --key seed-1"),
            new Step(DRILLS_README, "bin/netsplit health --json", Mode.UNTIL_SHOWN, 0, Duration.ofSeconds(60)),
            new Step(DRILLS_README, "bin/netsplit health check-now", Mode.UNTIL_SHOWN, 0, Duration.ofSeconds(60)),
            new Step(DRILLS_README, "bin/reconcilectl health", Mode.UNTIL_SHOWN, 0, Duration.ofSeconds(60)),
            // README.md: the lab goes
            once(README, "bin/netsplit lab down"));

    private ReadmeTranscript() {
    }

    private static Step once(String file, String command) {
        return once(file, command, DEFAULT);
    }

    private static Step once(String file, String command, Duration within) {
        return new Step(file, command, Mode.ONCE, 0, within);
    }
}
