package io.netsplit.drills.scenario;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a scenario manifest (YAML) into a validated {@link Scenario}. Every problem is a
 * {@link ManifestException} naming the file, line and field; unknown keys are errors, not ignored.
 * The format is documented in drills/README.md.
 */
public final class ScenarioParser {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SITE = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final int MAX_REPEAT = 100_000;

    private ScenarioParser() {
    }

    public static Scenario parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.getFileName().toString(), text);
    }

    /** Parses manifest text; {@code name} is used in error messages. */
    public static Scenario parse(String name, String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ManifestException(name + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ManifestException(name + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            throw new ManifestException(name + ": the manifest is empty");
        }
        return new ScenarioParser.Reader(name).scenario(new Y(root, "", name), text);
    }

    /** A node with its path, for errors that say where. */
    record Y(Node node, String path, String file) {

        int line() {
            return node.getStartMark().getLine() + 1;
        }

        ManifestException fail(String message) {
            return new ManifestException(file + ":" + line() + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        }

        Y child(Node n, String key) {
            return new Y(n, path.isEmpty() ? key : path + "." + key, file);
        }

        Map<String, Y> map(Set<String> allowed) {
            if (!(node instanceof MappingNode m)) {
                throw fail("expected a mapping");
            }
            Map<String, Y> out = new LinkedHashMap<>();
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

        List<Y> list() {
            if (!(node instanceof SequenceNode s)) {
                throw fail("expected a list");
            }
            List<Y> out = new ArrayList<>();
            for (int i = 0; i < s.getValue().size(); i++) {
                out.add(new Y(s.getValue().get(i), path + "[" + i + "]", file));
            }
            return out;
        }

        ScalarNode scalar() {
            if (!(node instanceof ScalarNode s)) {
                throw fail("expected a single value");
            }
            return s;
        }

        String str() {
            String v = scalar().getValue();
            if (v.isBlank()) {
                throw fail("must not be empty");
            }
            return v;
        }

        long integer(long min, long max) {
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

        double fraction() {
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

        boolean bool() {
            ScalarNode s = scalar();
            if (!s.getTag().equals(Tag.BOOL)) {
                throw fail("'" + s.getValue() + "' is not true or false");
            }
            return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
        }

        Duration duration() {
            String v = scalar().getValue().trim();
            return Durations.parse(v).orElseThrow(() -> fail("'" + v + "' is not a duration like 500ms, 30s or 2m"));
        }

        /** A field value: string, whole number, decimal, boolean or null. */
        Object value() {
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

        <E extends Enum<E>> E choice(Class<E> type) {
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

        private static List<String> sorted(Set<String> s) {
            return s.stream().sorted().toList();
        }
    }

    /** Parsing state: the manifest's sites, known once the top level is read. */
    private static final class Reader {
        private final String file;
        private List<String> sites = List.of();

        Reader(String file) {
            this.file = file;
        }

        Scenario scenario(Y root, String text) {
            Map<String, Y> top = root.map(Set.of("scenario", "description", "sites", "policy", "seed", "steps", "expect"));
            for (String required : List.of("scenario", "sites", "steps", "expect")) {
                if (!top.containsKey(required)) {
                    throw root.fail("missing required key '" + required + "'");
                }
            }
            String id = top.get("scenario").str();
            if (!ID.matcher(id).matches()) {
                throw top.get("scenario").fail("'" + id + "' is not a scenario id (lowercase letters, digits and '-')");
            }
            String description = top.containsKey("description") ? top.get("description").str() : "";
            sites = siteList(top.get("sites"), 1);
            PolicySpec policy = top.containsKey("policy") ? policy(top.get("policy")) : defaultPolicy();
            long seed = top.containsKey("seed") ? top.get("seed").integer(Long.MIN_VALUE, Long.MAX_VALUE) : 0L;
            List<Step> steps = new ArrayList<>();
            for (Y s : top.get("steps").list()) {
                steps.add(step(s));
            }
            if (steps.isEmpty()) {
                throw top.get("steps").fail("a scenario needs at least one step");
            }
            Expectations expect = expectations(top.get("expect"));
            return new Scenario(id, description, sites, policy, seed, steps, expect, text);
        }

        private PolicySpec defaultPolicy() {
            return new PolicySpec("highest-version", Map.of(), sites, sites);
        }

        private PolicySpec policy(Y y) {
            if (y.node() instanceof ScalarNode) {
                return new PolicySpec(policyName(y), Map.of(), sites, sites);
            }
            Map<String, Y> m = y.map(Set.of("default", "prefixes", "site-order", "authority"));
            String dflt = m.containsKey("default") ? policyName(m.get("default")) : "highest-version";
            Map<String, String> prefixes = new LinkedHashMap<>();
            if (m.containsKey("prefixes")) {
                m.get("prefixes").map(null).forEach((prefix, p) -> prefixes.put(prefix, policyName(p)));
            }
            List<String> order = m.containsKey("site-order") ? permutationOfSites(m.get("site-order")) : sites;
            List<String> authority = m.containsKey("authority") ? permutationOfSites(m.get("authority")) : order;
            return new PolicySpec(dflt, prefixes, order, authority);
        }

        private List<String> permutationOfSites(Y y) {
            List<String> order = siteList(y, sites.size());
            if (order.size() != sites.size()) {
                throw y.fail("must rank every site of the scenario " + sites);
            }
            return order;
        }

        private static String policyName(Y y) {
            String p = y.str();
            if (!PolicySpec.POLICIES.contains(p)) {
                throw y.fail("unknown policy '" + p + "' (expected one of " + PolicySpec.POLICIES + ")");
            }
            return p;
        }

        private List<String> siteList(Y y, int min) {
            List<String> out = new ArrayList<>();
            for (Y s : y.list()) {
                String name = s.str();
                if (!SITE.matcher(name).matches()) {
                    throw s.fail("'" + name + "' is not a site alias (lowercase letters, digits and '-')");
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
                throw y.fail("needs at least " + min + " site" + (min == 1 ? "" : "s"));
            }
            return out;
        }

        private String site(Y y) {
            String name = y.str();
            if (!sites.contains(name)) {
                throw y.fail("site '" + name + "' is not one of the scenario's sites " + sites);
            }
            return name;
        }

        private String[] pair(Y y) {
            List<Y> items = y.list();
            if (items.size() != 2) {
                throw y.fail("a pair names exactly two sites, like [us-east, eu-west]");
            }
            String a = site(items.get(0));
            String b = site(items.get(1));
            if (a.equals(b)) {
                throw y.fail("a pair needs two different sites, got '" + a + "' twice");
            }
            return new String[] {a, b};
        }

        private static final Set<String> KINDS = Set.of("write", "generate", "isolate", "heal", "flap", "latency",
                "bandwidth", "wait", "kill", "restart", "lose-audit", "await");

        private Step step(Y y) {
            Map<String, Y> m = y.map(null);
            List<String> kinds = m.keySet().stream().filter(KINDS::contains).toList();
            if (kinds.size() != 1) {
                throw y.fail(kinds.isEmpty()
                        ? "a step needs one of " + KINDS.stream().sorted().toList() + ", got " + m.keySet()
                        : "a step has exactly one kind, got " + kinds);
            }
            String kind = kinds.get(0);
            Y body = m.get(kind);
            Set<String> modifiers = kind.equals("isolate") ? Set.of("isolate", "one-way", "style") : Set.of(kind);
            for (Map.Entry<String, Y> e : m.entrySet()) {
                if (!modifiers.contains(e.getKey())) {
                    throw e.getValue().fail("unknown key next to '" + kind + "'");
                }
            }
            int line = y.line();
            return switch (kind) {
                case "write" -> write(line, body);
                case "generate" -> generate(line, body);
                case "isolate" -> isolate(line, body, m);
                case "heal" -> {
                    String[] p = pairOrMap(body, Set.of("pair")).pair;
                    yield new Step.Heal(line, p[0], p[1]);
                }
                case "flap" -> {
                    PairArgs a = pairOrMap(body, Set.of("pair", "times", "period"));
                    int times = (int) a.required("times").integer(1, 1000);
                    Duration period = a.required("period").duration();
                    if (period.toMillis() < 200) {
                        throw a.required("period").fail("a flap period under 200ms cannot cut and heal a link");
                    }
                    yield new Step.Flap(line, a.pair[0], a.pair[1], times, period);
                }
                case "latency" -> {
                    PairArgs a = pairOrMap(body, Set.of("pair", "latency", "jitter"));
                    Duration latency = a.required("latency").duration();
                    Duration jitter = a.args.containsKey("jitter") ? a.args.get("jitter").duration() : Duration.ZERO;
                    yield new Step.Latency(line, a.pair[0], a.pair[1], latency, jitter);
                }
                case "bandwidth" -> {
                    PairArgs a = pairOrMap(body, Set.of("pair", "rate"));
                    yield new Step.Bandwidth(line, a.pair[0], a.pair[1], a.required("rate").integer(1, 10_000_000));
                }
                case "wait" -> new Step.Wait(line, body.duration());
                case "kill", "restart" -> {
                    Map<String, Y> a = body.map(Set.of("component", "site"));
                    Step.Component c = requiredIn(body, a, "component").choice(Step.Component.class);
                    String site = null;
                    if (!c.shared) {
                        site = site(requiredIn(body, a, "site"));
                    } else if (a.containsKey("site")) {
                        throw a.get("site").fail("the " + c.labName + " is shared by every site: name no site");
                    }
                    yield kind.equals("kill") ? new Step.Kill(line, c, site) : new Step.Restart(line, c, site);
                }
                case "lose-audit" -> {
                    Map<String, Y> a = body.map(Set.of("site", "from", "to"));
                    String site = site(requiredIn(body, a, "site"));
                    long from = requiredIn(body, a, "from").integer(0, Long.MAX_VALUE);
                    long to = requiredIn(body, a, "to").integer(0, Long.MAX_VALUE);
                    if (to < from) {
                        throw a.get("to").fail("'to' (" + to + ") is before 'from' (" + from + ")");
                    }
                    yield new Step.LoseAudit(line, site, from, to);
                }
                case "await" -> new Step.Await(line, body.choice(Step.Condition.class));
                default -> throw y.fail("unknown step kind '" + kind + "'");
            };
        }

        private Step.Write write(int line, Y body) {
            Map<String, Y> a = body.map(Set.of("site", "key", "fields", "repeat", "op"));
            String site = site(requiredIn(body, a, "site"));
            String key = requiredIn(body, a, "key").str();
            if (key.length() > 256) {
                throw a.get("key").fail("keys are at most 256 characters");
            }
            Step.Op op = a.containsKey("op") ? a.get("op").choice(Step.Op.class) : Step.Op.UPSERT;
            Map<String, Object> fields = new LinkedHashMap<>();
            if (a.containsKey("fields")) {
                a.get("fields").map(null).forEach((f, v) -> fields.put(f, v.value()));
            }
            if (op != Step.Op.DELETE && fields.isEmpty()) {
                throw body.fail("a " + op.name().toLowerCase(Locale.ROOT) + " needs 'fields'");
            }
            if (op == Step.Op.DELETE && !fields.isEmpty()) {
                throw a.get("fields").fail("a delete takes no fields");
            }
            int repeat = a.containsKey("repeat") ? (int) a.get("repeat").integer(1, MAX_REPEAT) : 1;
            return new Step.Write(line, site, key, op, java.util.Collections.unmodifiableMap(fields), repeat);
        }

        private Step.Generate generate(int line, Y body) {
            Map<String, Y> a = body.map(Set.of("count", "keys", "key-prefix", "hot-keys", "hot-weight",
                    "conflict-rate", "sites", "background"));
            int count = (int) requiredIn(body, a, "count").integer(1, 1_000_000);
            int keys = (int) requiredIn(body, a, "keys").integer(1, 1_000_000);
            String prefix = a.containsKey("key-prefix") ? a.get("key-prefix").str() : "gen-";
            double hot = a.containsKey("hot-keys") ? a.get("hot-keys").fraction() : 0.0;
            double weight = a.containsKey("hot-weight") ? a.get("hot-weight").fraction() : 0.0;
            double conflict = a.containsKey("conflict-rate") ? a.get("conflict-rate").fraction() : 0.0;
            List<String> gsites = a.containsKey("sites") ? siteList(a.get("sites"), 1) : sites;
            if (conflict > 0 && gsites.size() < 2) {
                throw a.get("conflict-rate").fail("conflicts need at least two sites");
            }
            boolean background = a.containsKey("background") && a.get("background").bool();
            return new Step.Generate(line, count, keys, prefix, hot, weight, conflict, gsites, background);
        }

        private Step.Isolate isolate(int line, Y body, Map<String, Y> step) {
            PairArgs a = pairOrMap(body, Set.of("pair", "one-way", "style"));
            Map<String, Y> opts = new LinkedHashMap<>(a.args);
            step.forEach((k, v) -> {
                if (!k.equals("isolate")) {
                    opts.put(k, v);
                }
            });
            boolean oneWay = opts.containsKey("one-way") && opts.get("one-way").bool();
            Step.CutStyle style = opts.containsKey("style") ? opts.get("style").choice(Step.CutStyle.class)
                    : Step.CutStyle.REFUSE;
            return new Step.Isolate(line, a.pair[0], a.pair[1], oneWay, style);
        }

        private record PairArgs(Y body, String[] pair, Map<String, Y> args) {
            Y required(String key) {
                return requiredIn(body, args, key);
            }
        }

        /** {@code [a, b]} or {@code {pair: [a, b], ...}}. */
        private PairArgs pairOrMap(Y body, Set<String> allowed) {
            if (body.node() instanceof SequenceNode) {
                return new PairArgs(body, pair(body), Map.of());
            }
            Map<String, Y> a = body.map(allowed);
            return new PairArgs(body, pair(requiredIn(body, a, "pair")), a);
        }

        private static Y requiredIn(Y parent, Map<String, Y> map, String key) {
            Y v = map.get(key);
            if (v == null) {
                throw parent.fail("missing '" + key + "'");
            }
            return v;
        }

        private Expectations expectations(Y y) {
            Map<String, Y> m = y.map(Set.of("within", "status", "records", "no-lost-writes", "replay-identical",
                    "audit-complete"));
            Duration within = m.containsKey("within") ? m.get("within").duration() : Duration.ofSeconds(60);
            Map<String, Expectations.StatusCounts> status = new LinkedHashMap<>();
            if (m.containsKey("status")) {
                m.get("status").map(null).forEach((siteName, counts) -> {
                    if (!sites.contains(siteName)) {
                        throw counts.fail("site '" + siteName + "' is not one of the scenario's sites " + sites);
                    }
                    Map<String, Y> c = counts.map(Set.of("conflicts", "merged", "pending"));
                    status.put(siteName, new Expectations.StatusCounts(
                            requiredIn(counts, c, "conflicts").integer(0, Long.MAX_VALUE),
                            requiredIn(counts, c, "merged").integer(0, Long.MAX_VALUE),
                            requiredIn(counts, c, "pending").integer(0, Long.MAX_VALUE)));
                });
            }
            Map<String, Expectations.RecordExpectation> records = new LinkedHashMap<>();
            if (m.containsKey("records")) {
                m.get("records").map(null).forEach((key, r) -> {
                    Map<String, Y> a = r.map(Set.of("fields", "version", "deleted", "conflict"));
                    Optional<Map<String, Object>> fields = Optional.empty();
                    if (a.containsKey("fields")) {
                        Map<String, Object> f = new LinkedHashMap<>();
                        a.get("fields").map(null).forEach((name, v) -> f.put(name, v.value()));
                        fields = Optional.of(java.util.Collections.unmodifiableMap(f));
                    }
                    Optional<Long> version = a.containsKey("version")
                            ? Optional.of(a.get("version").integer(1, Long.MAX_VALUE)) : Optional.empty();
                    Optional<Boolean> deleted = a.containsKey("deleted") ? Optional.of(a.get("deleted").bool()) : Optional.empty();
                    Optional<String> conflict = Optional.empty();
                    if (a.containsKey("conflict")) {
                        String c = a.get("conflict").str().toUpperCase(Locale.ROOT);
                        if (!Set.of("NONE", "RESOLVED", "PENDING").contains(c)) {
                            throw a.get("conflict").fail("'" + a.get("conflict").str() + "' is not none, resolved or pending");
                        }
                        conflict = Optional.of(c);
                    }
                    records.put(key, new Expectations.RecordExpectation(fields, version, deleted, conflict));
                });
            }
            boolean lost = flag(m, "no-lost-writes", true);
            boolean replay = flag(m, "replay-identical", false);
            boolean audit = flag(m, "audit-complete", false);
            return new Expectations(within, status, records, lost, replay, audit);
        }

        private static boolean flag(Map<String, Y> m, String key, boolean dflt) {
            return m.containsKey(key) ? m.get(key).bool() : dflt;
        }
    }
}
