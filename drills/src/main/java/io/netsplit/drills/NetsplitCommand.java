package io.netsplit.drills;

import io.netsplit.audit.cli.AuditCommand;
import io.netsplit.audit.cli.ConflictsCommand;
import io.netsplit.drills.cli.CtlCommand;
import io.netsplit.drills.cli.DlqCommand;
import io.netsplit.drills.cli.DrillCommand;
import io.netsplit.drills.cli.ReconcileCommand;
import io.netsplit.health.cli.HealthCommand;
import io.netsplit.lab.cli.LabCommand;
import io.netsplit.lab.cli.OneLineErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code netsplit}: the command users meet. Subcommands: {@code lab} (up, status, down), {@code ctl}
 * (partitions), {@code reconcile} (status, verify), {@code drill} (run, list), {@code audit} (verify,
 * repair), {@code conflicts} (list, show, export, resolve), {@code health} (the consistency status) and
 * {@code dlq} (list, show, redrive: the reconcilers' dead letters).
 * Exit codes: 0 success, 1 failure, 2 bad usage; failures are one line on stderr. {@code health} answers
 * 0 healthy, 3 degraded, 4 partitioned, 5 diverged; {@code dlq redrive} 3 when an event was not proven merged.
 */
@Command(name = "netsplit", mixinStandardHelpOptions = true, version = "netsplit 0.1.0",
        description = "Kafka sites across WAN netsplits: the lab, partitions, reconciliation and drills.",
        subcommands = {LabCommand.class, CtlCommand.class, ReconcileCommand.class, DrillCommand.class,
                AuditCommand.class, ConflictsCommand.class, HealthCommand.class, DlqCommand.class,
                CommandLine.HelpCommand.class})
public final class NetsplitCommand {

    private NetsplitCommand() {
    }

    /** The command line with the project's error handling, for main and for tests. */
    public static CommandLine commandLine() {
        return OneLineErrors.install(new CommandLine(new NetsplitCommand()));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
