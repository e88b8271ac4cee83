package io.netsplit.lab;

import io.netsplit.lab.cli.LabCommand;
import io.netsplit.lab.cli.OneLineErrors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab as an operator drives it: {@code lab up} in the background, {@code status}, {@code down}. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LabCommandIT {

    record Run(int exit, String out, String err) {
    }

    /** Labs started here end with this JVM, whatever happens to the test (a lab from a shell outlives 'lab up'). */
    private static final String OWN_PID = Long.toString(ProcessHandle.current().pid());

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OneLineErrors.install(new CommandLine(new LabCommand()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void upStatusDownLeavesNoProcessBehind() {
        Path dir = Path.of(System.getProperty("user.dir"), "target", "lab-cli");
        Run up = run("up", "--dir", dir.toString(), "--sites", "us-east,eu-west,ap-south", "--stop-with", OWN_PID);
        try {
            assertThat(up.exit()).as(up.err()).isZero();
            assertThat(up.out()).contains("broker@ap-south ready", "registry ready", "lab up (3 sites)", "lab ready");

            Run status = run("status", "--dir", dir.toString());
            assertThat(status.exit()).isZero();
            assertThat(status.out()).contains("lab " + dir.toAbsolutePath() + ": ready", "site ap-south bootstrap=127.0.0.1:");

            Run second = run("up", "--dir", dir.toString());
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.err()).contains("a lab is already running at").doesNotContain("\tat ");
        } finally {
            LabDescriptor before = LabDescriptor.read(dir);
            Run down = run("down", "--dir", dir.toString());
            assertThat(down.exit()).isZero();
            assertThat(down.out()).contains("lab stopped");
            assertThat(before.processes()).isNotEmpty().allSatisfy(p ->
                    assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false))
                            .as(p.component() + "@" + p.site() + " pid " + p.pid()).isFalse());
            assertThat(ProcessHandle.of(before.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThat(run("status", "--dir", dir.toString()).exit()).isEqualTo(1);
    }

    @Test
    void aKilledSupervisorTakesItsProcessesWithIt() {
        Path dir = Path.of(System.getProperty("user.dir"), "target", "lab-orphans");
        Run up = run("up", "--dir", dir.toString(), "--sites", "solo", "--stop-with", OWN_PID);
        assertThat(up.exit()).as(up.err()).isZero();
        LabDescriptor d = LabDescriptor.read(dir);
        try {
            // Given a running lab, when its supervisor dies without stopping anything (SIGKILL)
            ProcessHandle.of(d.supervisorPid()).ifPresent(ProcessHandle::destroyForcibly);
            // Then every process it started notices and ends by itself
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(d.processes()).allSatisfy(p -> assertThat(ProcessHandle.of(p.pid())
                            .map(ProcessHandle::isAlive).orElse(false)).as(p.component() + " pid " + p.pid()).isFalse()));
        } finally {
            d.processes().forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void badFlagsAreOneLineErrorsAndStartNothing() {
        Path dir = Path.of(System.getProperty("user.dir"), "target", "lab-cli-bad");
        Run bad = run("up", "--dir", dir.toString(), "--sites", "us-east,Bad_Site");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).contains("'Bad_Site' is not a site alias").doesNotContain("\n");
        assertThat(dir.resolve("lab.json")).doesNotExist();

        Run gone = run("up", "--dir", dir.toString(), "--stop-with", "2147483646");
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.err().strip()).isEqualTo("lab up: --stop-with 2147483646: no such process");
        assertThat(dir.resolve("lab.json")).doesNotExist();

        Run unknown = run("up", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--frobnicate'");

        Run missing = run("status", "--dir", dir.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).contains("no lab at").doesNotContain("\n");
    }
}
