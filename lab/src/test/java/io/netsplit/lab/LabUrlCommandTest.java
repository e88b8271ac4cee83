package io.netsplit.lab;

import io.netsplit.lab.cli.LabCommand;
import io.netsplit.lab.cli.OneLineErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lab url}: one address of a lab for scripts, or a one-line error naming what is not there. */
class LabUrlCommandTest {

    record Run(int exit, String out, String err) {
    }

    @TempDir
    Path dir;

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OneLineErrors.install(new CommandLine(new LabCommand()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "url";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--dir";
        all[args.length + 2] = dir.toString();
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    private void givenALab() throws IOException {
        Files.writeString(dir.resolve(LabDescriptor.FILE_NAME), """
                {"version": 1, "state": "ready", "runDir": "%s", "registry": "http://127.0.0.1:9001/apis/ccompat/v7",
                 "sites": [{"name": "us-east", "bootstrap": "127.0.0.1:9092", "writer": "http://127.0.0.1:9101"},
                           {"name": "eu-west", "bootstrap": "127.0.0.1:9093", "writer": "http://127.0.0.1:9102"}],
                 "links": [], "processes": []}
                """.formatted(dir));
    }

    @Test
    void shouldPrintOneAddressOfTheLab() throws IOException {
        givenALab();
        assertThat(run("eu-west", "writer")).isEqualTo(new Run(0, "http://127.0.0.1:9102\n", ""));
        assertThat(run("us-east", "bootstrap")).isEqualTo(new Run(0, "127.0.0.1:9092\n", ""));
        assertThat(run("registry")).isEqualTo(new Run(0, "http://127.0.0.1:9001/apis/ccompat/v7\n", ""));
    }

    @Test
    void shouldNameWhatIsMissingInOneLine() throws IOException {
        givenALab();
        Run mars = run("mars", "writer");
        assertThat(mars.exit()).isEqualTo(2);
        assertThat(mars.out()).isEmpty();
        assertThat(mars.err()).isEqualTo("lab url: no site 'mars' in the lab (sites: [us-east, eu-west])\n");
        Run audit = run("us-east", "audit");
        assertThat(audit.exit()).isEqualTo(2);
        assertThat(audit.err()).isEqualTo("lab url: site 'us-east' has no service 'audit' (services: [writer], bootstrap)\n");
        Run noService = run("us-east");
        assertThat(noService.exit()).isEqualTo(2);
        assertThat(noService.err()).startsWith("lab url: name a service").doesNotContain("\n\n");
    }

    @Test
    void shouldSayThereIsNoLab() {
        Run none = run("us-east", "writer");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err().strip()).contains("no lab at").doesNotContain("\n");
    }
}
