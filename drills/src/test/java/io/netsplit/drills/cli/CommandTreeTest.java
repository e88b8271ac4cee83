package io.netsplit.drills.cli;

import io.netsplit.drills.NetsplitCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command tree users meet: every verb where the README says it is, and one-line failures. */
class CommandTreeTest {

    @Test
    void shouldOfferHealthUnderNetsplitAndUnderReconcile() {
        CommandLine cl = NetsplitCommand.commandLine();
        assertThat(cl.getSubcommands()).containsKeys("lab", "ctl", "reconcile", "drill", "audit", "conflicts", "health");
        assertThat(cl.getSubcommands().get("reconcile").getSubcommands()).containsKeys("status", "verify", "health");
        assertThat(cl.getSubcommands().get("health").getSubcommands()).containsKey("check-now");
    }

    @Test
    void shouldFailInOneLineWithoutALab(@TempDir Path empty) {
        StringWriter err = new StringWriter();
        CommandLine cl = NetsplitCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("health", "--lab", empty.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("netsplit health: ").doesNotContain("\n");
    }

    @Test
    void shouldRejectABadWatchInterval() {
        StringWriter err = new StringWriter();
        CommandLine cl = NetsplitCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("reconcile", "health", "--watch", "--interval", "soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration like 500ms, 2s or 1m");
    }
}
