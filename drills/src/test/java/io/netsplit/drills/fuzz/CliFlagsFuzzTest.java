package io.netsplit.drills.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.drills.NetsplitCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.lifecycle.AfterProperty;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fuzz of the command lines users type: {@code netsplit} and its short forms {@code netsplitctl} ({@code ctl}),
 * {@code reconcilectl} ({@code reconcile}) and {@code drill} ({@code drill}) are one picocli tree, run in-process with
 * captured output. Every generated argument vector — a command of the tree, then its own options, unknown ones and
 * values from a pool of good, bad and odd ones — ends with a documented exit code (0, 1 failure, 2 bad usage, 3–5
 * health), a failure is one line on stderr, and nothing prints a stack trace. Commands that talk to a lab are given
 * {@code --lab} pointing at a directory with no lab, so they fail fast instead of reaching a real one; {@code lab up}
 * (which would start a lab) is only parsed. The seed is {@link FuzzSeed#SEED}.
 */
class CliFlagsFuzzTest {

    private static final Set<Integer> DOCUMENTED_EXITS = Set.of(0, 1, 2, 3, 4, 5);
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(|Exception in thread|^Caused by: ");
    private static final List<String> PARSE_ONLY = List.of("lab", "up");
    private static final Path SANDBOX = sandbox();
    private static final String NO_LAB = SANDBOX.resolve("no-lab").toString();

    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    /** A command path of the tree and what follows it. */
    record Invocation(List<String> command, List<String> rest) {
        List<String> args(boolean hasLab) {
            List<String> all = new ArrayList<>(command);
            if (hasLab) {
                all.add("--lab");
                all.add(NO_LAB);
            }
            all.addAll(rest);
            return all;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " " + rest;
        }
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    /**
     * The property's check, for the real command line and for a planted defect.
     *
     * @param cli a fresh command line
     */
    Optional<String> violation(Supplier<CommandLine> cli, Invocation in) {
        CommandLine root = cli.get();
        CommandLine leaf = leaf(root, in.command());
        boolean hasLab = leaf.getCommandSpec().findOption("--lab") != null;
        String[] args = in.args(hasLab).toArray(String[]::new);
        Run run;
        try {
            run = runner.submit(() -> in.command().equals(PARSE_ONLY) ? parseOnly(root, args) : execute(root, args))
                    .get(2, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            return Optional.of(in + ": did not finish");
        } catch (Exception e) {
            return Optional.of(in + ": threw " + e);
        }
        if (!DOCUMENTED_EXITS.contains(run.exit())) {
            return Optional.of(in + ": exit " + run.exit() + ", err: " + run.err());
        }
        if (STACK_FRAME.matcher(run.err()).find() || STACK_FRAME.matcher(run.out()).find()) {
            return Optional.of(in + ": printed a stack trace: " + run.err() + run.out());
        }
        if ((run.exit() == 1 || run.exit() == 2) && run.err().strip().lines().count() != 1) {
            return Optional.of(java.util.Arrays.toString(args) + ": exit " + run.exit() + " without exactly one line on stderr: " + run.err() + " (stdout: " + run.out() + ")");
        }
        return Optional.empty();
    }

    private static Run execute(CommandLine root, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        int exit = root.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run parseOnly(CommandLine root, String[] args) {
        StringWriter err = new StringWriter();
        root.setErr(new PrintWriter(err, true));
        try {
            root.parseArgs(args);
            return new Run(0, "", "");
        } catch (CommandLine.ParameterException e) {
            int exit = root.getParameterExceptionHandler() == null ? 1 : handle(root, e, args);
            return new Run(exit, "", err.toString());
        }
    }

    private static int handle(CommandLine root, CommandLine.ParameterException e, String[] args) {
        try {
            return root.getParameterExceptionHandler().handleParseException(e, args);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static CommandLine leaf(CommandLine root, List<String> path) {
        CommandLine c = root;
        for (String name : path) {
            c = c.getSubcommands().get(name);
        }
        return c;
    }

    @Provide
    Arbitrary<Invocation> invocations() {
        return invocations(NetsplitCommand.commandLine());
    }

    /** Invocations of every command of the tree: its own options, unknown ones and pooled values, up to 8 tokens. */
    static Arbitrary<Invocation> invocations(CommandLine root) {
        List<List<String>> paths = new ArrayList<>();
        collect(root, List.of(), paths);
        return Arbitraries.of(paths).flatMap(path -> {
            CommandSpec spec = leaf(root, path).getCommandSpec();
            List<String> names = spec.options().stream().flatMap(o -> java.util.Arrays.stream(o.names()))
                    .filter(n -> !n.equals("--lab") && !n.equals("--dir")).toList();
            Arbitrary<String> tokens = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(4, names.isEmpty() ? Arbitraries.just("--help") : Arbitraries.of(names)),
                    net.jqwik.api.Tuple.of(5, values()),
                    net.jqwik.api.Tuple.of(1, Arbitraries.of("--lab", "--bogus", "-x", "--", "-", "--site=", "--limit=-1")));
            return tokens.list().ofMaxSize(8).map(rest -> new Invocation(path, rest));
        });
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> out) {
        if (!path.isEmpty()) {
            out.add(path);
        }
        c.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases would repeat a command
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    private static Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.of("", " ", "us-east", "eu-west", "nowhere", "us-east,eu-west", "0", "1", "-1", "5",
                        "99999999999999999999", "2s", "500ms", "1m", "soon", "-3s", "P1D", "2026-12-01T00:00:00Z", "yesterday",
                        "json", "csv", "xml", "refuse", "blackhole", "auto", "embedded", "k=v", "=", "golden-path", "nosuch",
                        "a:1", "lab", "not a url", "ftp://x", "%s", "${HOME}", "\u00e9", "\u4e16\u754c", "\t", "\u0000"),
                Arbitraries.of(SANDBOX.resolve("missing.yaml").toString(), SANDBOX.resolve("out").toString(), NO_LAB),
                Arbitraries.strings().all().ofMaxLength(10));
    }

    @Property(tries = 1000, seed = FuzzSeed.SEED)
    void everyCommandLineEndsWithADocumentedCodeAndOneLine(@ForAll("invocations") Invocation in) {
        assertThat(violation(NetsplitCommand::commandLine, in)).isEmpty();
    }

    /** The same tree without the project's one-line error handling must fail the check (picocli prints traces). */
    @Example
    void theCheckFindsACommandLineWithoutOneLineErrors() {
        RandomGenerator<Invocation> generator = invocations(NetsplitCommand.commandLine()).generator(1000);
        Random random = new Random(Long.parseLong(FuzzSeed.SEED));
        Optional<String> found = Optional.empty();
        for (int i = 0; i < 300 && found.isEmpty(); i++) {
            Invocation in = generator.next(random).value();
            assertThat(violation(NetsplitCommand::commandLine, in)).isEmpty();
            found = violation(() -> new CommandLine(NetsplitCommand.class), in);
        }
        assertThat(found).isPresent();
    }

    @AfterProperty
    void stop() {
        runner.shutdownNow();
    }

    private static Path sandbox() {
        try {
            return Files.createTempDirectory("cli-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
