package io.netsplit.drills.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The commands a README shows, in the order it shows them, each with the output printed under it.
 *
 * <p>Inside a fenced block (no language, or {@code console}/{@code shell}/{@code sh}/{@code bash}), a
 * line {@code $ command   # comment} is a command; the lines after it, up to the next command or the
 * block's end, are its output. In a block without {@code $} lines, a line that starts with {@code bin/}
 * or {@code ./} is a command whose output the README does not show (the Quickstart). Expected output
 * is matched line by line; {@code …} inside a line stands for any text, a line that is only {@code …}
 * for any number of lines, and a run of two or more spaces for any run of spaces.
 */
public final class ReadmeCommands {

    /** One command of a README: its file, its 1-based line, the command line, the output shown. */
    public record Command(String file, int line, String command, List<String> output, boolean outputShown) {

        /**
         * Whether {@code actual} (stdout, split in lines) is what the README shows; a command shown
         * without its output (the Quickstart's) is checked by its test instead.
         */
        public boolean matches(List<String> actual) {
            return !outputShown || matchLines(output, 0, actual, 0);
        }

        @Override
        public String toString() {
            return file + ":" + line + ": $ " + command;
        }
    }

    private static final Set<String> SHELL_LANGUAGES = Set.of("", "console", "shell", "sh", "bash");
    private static final Pattern COMMENT = Pattern.compile("\\s{2,}#.*$");

    private ReadmeCommands() {
    }

    /** The repository root: the nearest directory upwards from the working directory with {@code bin/netsplit}. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bin").resolve("netsplit"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no bin/netsplit above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The commands of {@code file} (relative to the repository root), in order. */
    public static List<Command> of(String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(repositoryRoot().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(file, lines);
    }

    static List<Command> parse(String file, List<String> lines) {
        List<Command> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String fence = lines.get(i).strip();
            if (!fence.startsWith("```")) {
                i++;
                continue;
            }
            String language = fence.substring(3).strip();
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            if (SHELL_LANGUAGES.contains(language)) {
                out.addAll(commandsOf(file, lines, start, end));
            }
            i = end + 1;
        }
        return out;
    }

    private static List<Command> commandsOf(String file, List<String> lines, int start, int end) {
        List<Command> out = new ArrayList<>();
        boolean prompts = lines.subList(start, end).stream().anyMatch(l -> l.startsWith("$ "));
        if (!prompts) {
            for (int n = start; n < end; n++) {
                String l = lines.get(n);
                if (l.startsWith("bin/") || l.startsWith("./")) {
                    out.add(new Command(file, n + 1, stripComment(l), List.of(), false));
                }
            }
            return out;
        }
        for (int n = start; n < end; n++) {
            if (!lines.get(n).startsWith("$ ")) {
                continue;
            }
            List<String> output = new ArrayList<>();
            int m = n + 1;
            while (m < end && !lines.get(m).startsWith("$ ")) {
                output.add(lines.get(m));
                m++;
            }
            out.add(new Command(file, n + 1, stripComment(lines.get(n).substring(2)), List.copyOf(output), true));
        }
        return out;
    }

    private static String stripComment(String command) {
        return COMMENT.matcher(command).replaceFirst("").strip();
    }

    private static boolean matchLines(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (expected.get(e).strip().equals("…")) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matchLines(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && lineMatches(expected.get(e), actual.get(a)) && matchLines(expected, e + 1, actual, a + 1);
    }

    static boolean lineMatches(String expected, String actual) {
        StringBuilder regex = new StringBuilder();
        String[] parts = expected.stripTrailing().split("…", -1);
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                regex.append(".*");
            }
            String[] words = parts[p].split(" {2,}", -1);
            for (int w = 0; w < words.length; w++) {
                if (w > 0) {
                    regex.append(" {2,}");
                }
                regex.append(Pattern.quote(words[w]));
            }
        }
        return Pattern.compile(regex.toString()).matcher(actual.stripTrailing()).matches();
    }
}
