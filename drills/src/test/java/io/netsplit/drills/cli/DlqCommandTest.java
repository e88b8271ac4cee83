package io.netsplit.drills.cli;

import io.netsplit.drills.NetsplitCommand;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.SiteDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code netsplit dlq}'s bad input: one line, exit 2, before any lab is touched. */
class DlqCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run netsplit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NetsplitCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldOfferListShowAndRedrive() {
        assertThat(NetsplitCommand.commandLine().getSubcommands().get("dlq").getSubcommands()).containsKeys("list", "show", "redrive");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dlq show us-east                          | Missing required parameter: 'OFFSET'",
            "dlq show us-east ten                      | Invalid value for positional parameter at index 1 (OFFSET): 'ten' is not a long",
            "dlq show us-east -1                       | OFFSET: -1 is not an offset (0 or more)",
            "dlq show US_EAST 3                        | SITE: 'US_EAST' is not a site alias",
            "dlq list --site bad_site                  | --site: 'bad_site' is not a site alias",
            "dlq redrive --offset 3                    | --offset needs --site: dead-letter offsets are per site",
            "dlq redrive --site us-east --offset x     | Invalid value for option '--offset'",
            "dlq redrive --site us-east --offset -4    | --offset: -4 is not an offset (0 or more)",
            "dlq redrive --wait soon                   | --wait: 'soon' is not a duration like 500ms, 30s or 2m",
            "dlq redrive --bogus                       | Unknown option: '--bogus'"})
    void shouldRejectBadInputInOneLineWithExitTwo(String command, String message) {
        Run run = netsplit(command.strip().split(" +"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("netsplit dlq ").contains(message).doesNotContain("\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRejectASiteTheLabDoesNotHave(@TempDir Path dir) throws Exception {
        LabDescriptor d = new LabDescriptor(1, "ready", null, dir.toString(), "http://127.0.0.1:1/apis/ccompat/v7", null, null,
                java.util.List.of(new SiteDescriptor("us-east", "127.0.0.1:1")), java.util.List.of(), java.util.Map.of(),
                java.util.List.of());
        io.netsplit.kit.Json.mapper().writeValue(dir.resolve("lab.json").toFile(), d);
        Run run = netsplit("dlq", "redrive", "--site", "ap-south", "--lab", dir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("netsplit dlq redrive: --site: no site 'ap-south' in the lab; sites: [us-east]");
    }
}
