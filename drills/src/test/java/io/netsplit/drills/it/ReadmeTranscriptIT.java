package io.netsplit.drills.it;

import io.netsplit.drills.readme.ReadmeCommands;
import io.netsplit.drills.readme.ReadmeTranscript;
import io.netsplit.drills.readme.ReadmeTranscript.Mode;
import io.netsplit.drills.readme.ReadmeTranscript.Step;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.ProcessDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The READMEs as a user follows them: every command of {@code README.md} and {@code drills/README.md}
 * ({@link ReadmeTranscript}), each a separate process started by {@code bash -c} in the repository
 * root after the one before it has exited, its exit code and output compared with what the README
 * shows. {@code HOME} is a directory of this test's own, so {@code ~/.netsplit/lab} in a command is
 * the lab that {@code bin/netsplit lab up} started; {@code NETSPLIT_NO_BUILD=1} because the build
 * that runs this test has just built what {@code bin/netsplit} runs. No lab runs in this JVM.
 */
@Tag("integration")
class ReadmeTranscriptIT {

    private static final Path ROOT = ReadmeCommands.repositoryRoot();
    private static final Path HOME = Path.of("target", "readme-home").toAbsolutePath();
    private static final Path LAB = HOME.resolve(".netsplit").resolve("lab");
    private static final Path OUTPUT = Path.of("target", "readme-transcript").toAbsolutePath();

    /** What a finished command did. */
    record Ran(int exit, List<String> out, String err) {
    }

    @BeforeAll
    static void freshHome() throws Exception {
        deleteTree(OUTPUT);
        Files.createDirectories(OUTPUT);
        stopLabIfRunning();
        deleteTree(HOME);
        Files.createDirectories(HOME);
    }

    @AfterAll
    static void noLabLeftBehind() throws Exception {
        stopLabIfRunning();
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void everyReadmeCommandWorksAsShownWhenRunFromAShell() throws Exception {
        Map<String, List<ReadmeCommands.Command>> shown = new HashMap<>();
        Map<String, Integer> next = new HashMap<>();
        for (String file : List.of(ReadmeTranscript.README, ReadmeTranscript.DRILLS_README)) {
            shown.put(file, ReadmeCommands.of(file));
            next.put(file, 0);
        }
        List<ProcessHandle> labProcesses = new ArrayList<>();
        int n = 0;
        for (Step step : ReadmeTranscript.STEPS) {
            n++;
            ReadmeCommands.Command readme = shown.get(step.file()).get(next.merge(step.file(), 1, Integer::sum) - 1);
            assertThat(readme.command()).as("step %d follows %s", n, step.file()).isEqualTo(step.command());
            if (step.mode() == Mode.CI) {
                assertThat(Files.readString(ROOT.resolve(".ci").resolve("run"))).contains("\n" + step.command() + "\n");
                continue;
            }
            if (step.command().equals("bin/netsplit lab down")) {
                // before the lab goes: it is still ready, minutes after 'lab up' returned
                Ran status = run(n + "-status-before-down", "bin/netsplit lab status", step.within());
                assertThat(status.exit()).as(String.join("\n", status.out())).isZero();
                labProcesses.addAll(labProcessTree());
                assertThat(labProcesses).hasSizeGreaterThan(10);
            }
            Ran ran = switch (step.mode()) {
                case ONCE -> run(n + "", step.command(), step.within());
                case UNTIL_SHOWN -> untilShown(n, step, readme);
                case UNTIL_STOPPED -> untilStopped(n, step, readme);
                case CI -> throw new IllegalStateException("handled above");
            };
            assertThat(ran.exit()).as("exit of %s\n%s\n%s", readme, String.join("\n", ran.out()), ran.err())
                    .isEqualTo(step.exit());
            assertThat(readme.matches(ran.out()))
                    .as("output of %s:\n%s\n--- the README shows:\n%s", readme, String.join("\n", ran.out()),
                            String.join("\n", readme.output()))
                    .isTrue();
            afterStep(step, ran);
        }
        assertThat(next.get(ReadmeTranscript.README)).isEqualTo(shown.get(ReadmeTranscript.README).size());
        assertThat(next.get(ReadmeTranscript.DRILLS_README)).isEqualTo(shown.get(ReadmeTranscript.DRILLS_README).size());
        // lab down left nothing behind: every process the lab started, and what those started, is gone
        assertThat(labProcesses).allSatisfy(p -> assertThat(p.isAlive()).as("pid %d (%s)", p.pid(),
                p.info().commandLine().orElse("?")).isFalse());
        assertThat(run("status-after-down", "bin/netsplit lab status", Duration.ofMinutes(1)).exit()).isEqualTo(1);
    }

    /** What a user would check after some commands, beyond the output the README shows. */
    private static void afterStep(Step step, Ran ran) throws IOException {
        switch (step.command()) {
            case "bin/netsplit drill run drills/scenarios/golden-path.yaml" -> {
                // the drill's own lab is gone with it
                LabDescriptor own = LabDescriptor.read(HOME.resolve(".netsplit").resolve("drills").resolve("golden-path"));
                assertThat(own.state()).isEqualTo("stopped");
                assertThat(own.processes()).allSatisfy(p -> assertThat(alive(p)).as(p.component()).isFalse());
                String out = String.join("\n", ran.out());
                assertThat(out).contains("PASSED", "lab stopped");
                DrillTimings.assertHonest(out, ROOT.resolve("drill-reports").resolve("golden-path"));
            }
            case "bin/netsplit lab up" -> {
                // the command has exited; the lab it started has not
                LabDescriptor d = LabDescriptor.read(LAB);
                assertThat(d.state()).isEqualTo("ready");
                assertThat(ProcessHandle.of(d.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)).isTrue();
                assertThat(d.processes()).allSatisfy(p -> assertThat(alive(p)).as(p.component()).isTrue());
            }
            default -> {
            }
        }
    }

    private static Ran untilShown(int n, Step step, ReadmeCommands.Command readme) throws Exception {
        long deadline = System.nanoTime() + step.within().toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            Ran ran = run(n + "-" + attempt, step.command(), step.within());
            if ((ran.exit() == step.exit() && readme.matches(ran.out())) || System.nanoTime() > deadline) {
                return ran;
            }
        }
    }

    private static Ran untilStopped(int n, Step step, ReadmeCommands.Command readme) throws Exception {
        Path out = OUTPUT.resolve(n + ".out");
        Path err = OUTPUT.resolve(n + ".err");
        Process p = start(step.command(), out, err);
        try {
            // the command prints as it goes: read until the README's lines are there, or it ended
            await().atMost(step.within()).pollInterval(Duration.ofMillis(100))
                    .until(() -> !p.isAlive() || readme.matches(completeLines(out)));
            assertThat(p.isAlive()).as("%s is still running when its output is read", step.command()).isTrue();
        } finally {
            stopTree(p);
        }
        List<String> lines = completeLines(out);
        log(step.command(), lines, Files.readString(err));
        return new Ran(0, lines, Files.readString(err));
    }

    private static Ran run(String name, String command, Duration within) throws Exception {
        Path out = OUTPUT.resolve(name + ".out");
        Path err = OUTPUT.resolve(name + ".err");
        Process p = start(command, out, err);
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            stopTree(p);
            fail("'" + command + "' did not finish within " + within + "; output so far:\n" + Files.readString(out)
                    + Files.readString(err));
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String errors = Files.readString(err);
        log(command, lines, errors);
        return new Ran(p.exitValue(), lines, errors);
    }

    private static Process start(String command, Path out, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", HOME.toString());
        env.put("NETSPLIT_NO_BUILD", "1");
        env.remove("NETSPLIT_LAB");
        return pb.start();
    }

    private static List<String> completeLines(Path file) throws IOException {
        String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int last = text.lastIndexOf('\n');
        return last < 0 ? List.of() : List.of(text.substring(0, last).split("\n", -1));
    }

    private static void log(String command, List<String> out, String err) {
        System.out.println("$ " + command + "\n" + String.join("\n", out) + (err.isBlank() ? "" : "\n[stderr] " + err.strip()));
    }

    /** The supervisor of the README's lab and everything below it (toxiproxy-server included). */
    private static List<ProcessHandle> labProcessTree() {
        LabDescriptor d = LabDescriptor.read(LAB);
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(d.supervisorPid()).ifPresent(s -> {
            all.add(s);
            all.addAll(s.descendants().toList());
        });
        Set<Long> known = all.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        d.processes().stream().filter(p -> !known.contains(p.pid()))
                .forEach(p -> ProcessHandle.of(p.pid()).ifPresent(all::add));
        return all;
    }

    private static void stopTree(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void stopLabIfRunning() throws Exception {
        if (Files.isRegularFile(LAB.resolve(LabDescriptor.FILE_NAME))) {
            LabDescriptor d = LabDescriptor.read(LAB);
            if (d.supervisorPid() != null && ProcessHandle.of(d.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)) {
                run("cleanup-down", "bin/netsplit lab down", Duration.ofMinutes(2));
            }
        }
    }

    private static boolean alive(ProcessDescriptor p) {
        return ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
