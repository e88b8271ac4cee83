package io.netsplit.drills.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A generated manifest: one of the shipped scenarios ({@code drills/scenarios}) with 1 to 6 edits — lines deleted,
 * doubled, swapped, re-indented, a value replaced, text inserted, the rest cut off.
 *
 * @param scenario the shipped manifest it starts from
 * @param edits    what is done to it, in order
 */
record ManifestMutation(String scenario, List<Edit> edits) {

    /** The shipped manifests by file name, read once. */
    static final Map<String, String> SHIPPED = shipped();

    /** Values a manifest field might get instead of its own. */
    private static final List<String> VALUES = List.of("", "~", "null", "-1", "0", "999999999999999999999", "1.5", "2s",
            "-3s", "500ms", "soon", "[]", "{}", "[us-east]", "[us-east, us-east]", "{site: nowhere}", "us-east", "eu-west",
            "ap-south", "'quoted'", "\"unterminated", "&anchor x", "*alias", "!!binary AAAA", "!!java.lang.Object {}",
            "|", ">", "? complex", "true", "yes", "manual", "lww", "none", "pending", "\u00e9t\u00e9", "\u0000", "\t",
            "%", "@", "`", "# comment", "key: value", "- item", "{a: [b, {c: d}]}");

    /** One edit of the manifest text. */
    enum Op { DELETE, DOUBLE, SWAP, INDENT, REPLACE_VALUE, INSERT, CUT }

    /** One edit: an operation, two positions (taken modulo the text's size) and a text for it. */
    record Edit(Op op, int at, int other, String text) {
    }

    static Arbitrary<ManifestMutation> mutations() {
        Arbitrary<String> texts = Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars(":-[]{},#&*!|>'\" \n\t").ofMaxLength(8));
        Arbitrary<Edit> edits = Combinators.combine(Arbitraries.of(Op.class), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 10_000), texts).as(Edit::new);
        return Combinators.combine(Arbitraries.of(List.copyOf(SHIPPED.keySet())), edits.list().ofMinSize(1).ofMaxSize(6))
                .as(ManifestMutation::new);
    }

    /** The edited text. */
    String text() {
        List<String> lines = new ArrayList<>(SHIPPED.get(scenario).lines().toList());
        for (Edit e : edits) {
            int n = Math.max(1, lines.size());
            int i = e.at() % n;
            int j = e.other() % n;
            if (lines.isEmpty()) {
                lines.add(e.text());
                continue;
            }
            switch (e.op()) {
                case DELETE -> lines.remove(i);
                case DOUBLE -> lines.add(i, lines.get(i));
                case SWAP -> {
                    String a = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, a);
                }
                case INDENT -> lines.set(i, " ".repeat(e.other() % 7) + lines.get(i).strip());
                case REPLACE_VALUE -> lines.set(i, replaceValue(lines.get(i), e.other(), e.text()));
                case INSERT -> {
                    String line = lines.get(i);
                    int at = line.isEmpty() ? 0 : e.other() % line.length();
                    lines.set(i, line.substring(0, at) + e.text() + line.substring(at));
                }
                case CUT -> lines.subList(i, lines.size()).clear();
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** Replaces the value after the line's n-th ':' (or the whole line when it has none). */
    private static String replaceValue(String line, int n, String value) {
        List<Integer> colons = new ArrayList<>();
        for (int c = line.indexOf(':'); c >= 0; c = line.indexOf(':', c + 1)) {
            colons.add(c);
        }
        if (colons.isEmpty()) {
            return value;
        }
        int c = colons.get(n % colons.size());
        int end = line.indexOf(',', c);
        int close = line.indexOf('}', c);
        end = end < 0 ? close : close < 0 ? end : Math.min(end, close);
        return line.substring(0, c + 1) + " " + value + (end < 0 ? "" : line.substring(end));
    }

    private static Map<String, String> shipped() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public String toString() {
        return scenario + " with " + edits;
    }
}
