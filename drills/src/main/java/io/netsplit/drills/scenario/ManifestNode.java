package io.netsplit.drills.scenario;

import io.netsplit.kit.SiteAlias;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A node of a scenario manifest with its file and field path, so that every value read through it
 * is validated and every problem is a {@link ManifestException} naming the file, line and field:
 * {@code t.yaml:3: steps[0].isolate[1]: site 'us-wst' is not one of the scenario's sites [...]}.
 */
public record ManifestNode(Node node, String path, String file) {


    /** The manifest line this node starts on. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    /** An error at this node: {@code file:line: path: message}. */
    public ManifestException fail(String message) {
        return new ManifestException(file + ":" + line() + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    ManifestNode child(Node n, String key) {
        return new ManifestNode(n, path.isEmpty() ? key : path + "." + key, file);
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** A mapping whose keys are all in {@code allowed} (any key when null), in manifest order. */
    public Map<String, ManifestNode> map(Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw fail("expected a mapping");
        }
        Map<String, ManifestNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw fail("keys must be plain names");
            }
            String key = k.getValue();
            if (allowed != null && !allowed.contains(key)) {
                throw child(t.getKeyNode(), key).fail("unknown key (expected one of " + sorted(allowed) + ")");
            }
            out.put(key, child(t.getValueNode(), key));
        }
        return out;
    }

    /** {@code entries.get(key)}, read from this mapping; an error here when the key is missing. */
    public ManifestNode required(Map<String, ManifestNode> entries, String key) {
        ManifestNode v = entries.get(key);
        if (v == null) {
            throw fail("missing '" + key + "'");
        }
        return v;
    }

    public List<ManifestNode> list() {
        if (!(node instanceof SequenceNode s)) {
            throw fail("expected a list");
        }
        List<ManifestNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new ManifestNode(s.getValue().get(i), path + "[" + i + "]", file));
        }
        return out;
    }

    ScalarNode scalar() {
        if (!(node instanceof ScalarNode s)) {
            throw fail("expected a single value");
        }
        return s;
    }

    public String str() {
        String v = scalar().getValue();
        if (v.isBlank()) {
            throw fail("must not be empty");
        }
        return v;
    }

    public long integer(long min, long max) {
        ScalarNode s = scalar();
        if (!s.getTag().equals(Tag.INT)) {
            throw fail("'" + s.getValue() + "' is not a whole number");
        }
        long v;
        try {
            v = Long.parseLong(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw fail("'" + s.getValue() + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw fail(v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    public double fraction() {
        ScalarNode s = scalar();
        double v;
        try {
            v = Double.parseDouble(s.getValue());
        } catch (NumberFormatException e) {
            throw fail("'" + s.getValue() + "' is not a number");
        }
        if (!(v >= 0 && v <= 1)) {
            throw fail(s.getValue() + " is not a fraction between 0 and 1");
        }
        return v;
    }

    public boolean bool() {
        ScalarNode s = scalar();
        if (!s.getTag().equals(Tag.BOOL)) {
            throw fail("'" + s.getValue() + "' is not true or false");
        }
        return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
    }

    public Duration duration() {
        String v = scalar().getValue().trim();
        return Durations.parse(v).orElseThrow(() -> fail("'" + v + "' is not a duration like 500ms, 30s or 2m"));
    }

    /** A field value: string, whole number, decimal, boolean or null. */
    public Object value() {
        ScalarNode s = scalar();
        Tag tag = s.getTag();
        String v = s.getValue();
        if (tag.equals(Tag.NULL)) {
            return null;
        } else if (tag.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        } else if (tag.equals(Tag.INT)) {
            try {
                return Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw fail("'" + v + "' does not fit a 64-bit whole number");
            }
        } else if (tag.equals(Tag.FLOAT)) {
            return Double.parseDouble(v.replace("_", ""));
        }
        return v;
    }

    /** A constant of {@code type}, written lowercase with '-' for '_': {@code one-way}, {@code blackhole}. */
    public <E extends Enum<E>> E choice(Class<E> type) {
        String v = str().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw fail("'" + scalar().getValue() + "' is not one of " + names);
    }

    /** One site alias, one of {@code sites}. */
    public String site(List<String> sites) {
        String name = str();
        if (!sites.contains(name)) {
            throw fail("site '" + name + "' is not one of the scenario's sites " + sites);
        }
        return name;
    }

    /**
     * A list of at least {@code min} different site aliases, each one of {@code sites} unless
     * {@code sites} is empty (the scenario's own {@code sites:} list).
     */
    public List<String> sites(List<String> sites, int min) {
        List<String> out = new ArrayList<>();
        for (ManifestNode s : list()) {
            String name = s.str();
            if (!SiteAlias.isValid(name)) {
                throw s.fail("'" + name + "' is not a site alias (" + SiteAlias.RULE + ")");
            }
            if (out.contains(name)) {
                throw s.fail("site '" + name + "' is listed twice");
            }
            if (!sites.isEmpty() && !sites.contains(name)) {
                throw s.fail("site '" + name + "' is not one of the scenario's sites " + sites);
            }
            out.add(name);
        }
        if (out.size() < min) {
            throw fail("needs at least " + min + " site" + (min == 1 ? "" : "s"));
        }
        return out;
    }

    /** {@code [a, b]}: two different sites of {@code sites}. */
    public List<String> pair(List<String> sites) {
        List<ManifestNode> items = list();
        if (items.size() != 2) {
            throw fail("a pair names exactly two sites, like [us-east, eu-west]");
        }
        String a = items.get(0).site(sites);
        String b = items.get(1).site(sites);
        if (a.equals(b)) {
            throw fail("a pair needs two different sites, got '" + a + "' twice");
        }
        return List.of(a, b);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
