package io.netsplit.drills.readme;

import io.netsplit.drills.readme.ReadmeTranscript.Step;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The READMEs' commands are the ones the process-level transcript runs: a command added to
 * {@code README.md} or {@code drills/README.md} and not to {@link ReadmeTranscript} fails here,
 * before any lab starts.
 */
class ReadmeCommandsTest {

    @Test
    void everyReadmeCommandIsRunByTheTranscriptInTheReadmesOrder() {
        for (String file : List.of(ReadmeTranscript.README, ReadmeTranscript.DRILLS_README)) {
            List<String> inReadme = ReadmeCommands.of(file).stream().map(ReadmeCommands.Command::command).toList();
            List<String> inTranscript = ReadmeTranscript.STEPS.stream().filter(s -> s.file().equals(file))
                    .map(Step::command).toList();
            assertThat(inReadme).as("commands of %s", file).isNotEmpty();
            assertThat(inTranscript).as("the transcript's commands of %s, against the README's", file)
                    .containsExactlyElementsOf(inReadme);
        }
    }

    @Test
    void theTestCommandOfTheQuickstartIsTheOneCiRuns() throws IOException {
        List<ReadmeCommands.Command> quickstart = ReadmeCommands.of(ReadmeTranscript.README).stream()
                .filter(c -> !c.outputShown()).toList();
        assertThat(quickstart).extracting(ReadmeCommands.Command::command)
                .containsExactly("bin/netsplit drill run drills/scenarios/golden-path.yaml", "./mvnw verify");
        assertThat(Files.readAllLines(ReadmeCommands.repositoryRoot().resolve(".ci").resolve("run")))
                .contains("./mvnw verify");
    }

    @Test
    void docsNameNoDirectoryOfOneMachine() throws IOException {
        Pattern machineDir = Pattern.compile("(?m)(cd /|/work/|/root/|/home/\\w|/Users/\\w)");
        List<String> offenders = new ArrayList<>();
        Path root = ReadmeCommands.repositoryRoot();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .filter(p -> !root.relativize(p).startsWith(".git")).toList()) {
                List<String> lines = Files.readAllLines(md);
                for (int i = 0; i < lines.size(); i++) {
                    if (machineDir.matcher(lines.get(i)).find()) {
                        offenders.add(root.relativize(md) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(offenders).as("paths in docs are relative to the repository root").isEmpty();
    }

    @Test
    void shouldReadCommandsAndTheirOutputFromShellBlocksOnly() {
        List<ReadmeCommands.Command> commands = ReadmeCommands.parse("X.md", List.of(
                "text $ not a command",
                "```",
                "$ bin/a one   # a comment",
                "out 1",
                "out 2",
                "$ bin/b",
                "```",
                "```yaml",
                "$ not: a command",
                "```",
                "```",
                "bin/quick start   # builds first",
                "./mvnw verify",
                "netsplit: building",
                "```"));
        assertThat(commands).extracting(ReadmeCommands.Command::command)
                .containsExactly("bin/a one", "bin/b", "bin/quick start", "./mvnw verify");
        assertThat(commands.get(0).output()).containsExactly("out 1", "out 2");
        assertThat(commands.get(0).line()).isEqualTo(3);
        assertThat(commands.get(1).output()).isEmpty();
        assertThat(commands.get(1).outputShown()).isTrue();
        assertThat(commands.get(2).outputShown()).isFalse();
    }

    @Test
    void shouldMatchOutputWithEllipsesAndColumnsButNothingElse() {
        ReadmeCommands.Command c = new ReadmeCommands.Command("X.md", 1, "bin/x", List.of(
                "…",
                "lab ready: …/lab.json",
                "us-east->eu-west  up  lag=…"), true);
        assertThat(c.matches(List.of("starting", "broker ready 6.2 s", "lab ready: /tmp/l/lab.json",
                "us-east->eu-west         up         lag=0 records/0ms"))).isTrue();
        assertThat(c.matches(List.of("lab ready: /tmp/l/lab.json", "us-east->eu-west  up  lag=3"))).isTrue();
        // a different word, a missing line, an extra line at the end, a single space for a column gap
        assertThat(c.matches(List.of("lab ready: /tmp/l/lab.json", "us-east->eu-west  cut  lag=0"))).isFalse();
        assertThat(c.matches(List.of("lab ready: /tmp/l/lab.json"))).isFalse();
        assertThat(c.matches(List.of("lab ready: /tmp/l/lab.json", "us-east->eu-west  up  lag=0", "more"))).isFalse();
        assertThat(c.matches(List.of("lab ready: /tmp/l/lab.json", "us-east->eu-west up lag=0"))).isFalse();
        ReadmeCommands.Command exact = new ReadmeCommands.Command("X.md", 1, "bin/y", List.of("partition active"), true);
        assertThat(exact.matches(List.of("partition active"))).isTrue();
        assertThat(exact.matches(List.of("partition active", ""))).isFalse();
        assertThat(exact.matches(List.of("partition  active"))).isFalse();
        ReadmeCommands.Command silent = new ReadmeCommands.Command("X.md", 1, "bin/z", List.of(), true);
        assertThat(silent.matches(List.of())).isTrue();
        assertThat(silent.matches(List.of("something"))).isFalse();
    }
}
