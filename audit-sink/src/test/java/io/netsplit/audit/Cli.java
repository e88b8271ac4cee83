package io.netsplit.audit;

import io.netsplit.audit.cli.AuditCommand;
import io.netsplit.audit.cli.ConflictsCommand;
import io.netsplit.lab.cli.OneLineErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the audit and conflicts commands under a root command the way {@code bin/netsplit} does, capturing output. */
public final class Cli {

    /** Stand-in for the drills module's {@code netsplit} root command. */
    @Command(name = "netsplit", mixinStandardHelpOptions = true,
            subcommands = {AuditCommand.class, ConflictsCommand.class})
    static final class Root {
    }

    /** Exit code and what the command printed. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OneLineErrors.install(new CommandLine(new Root()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
