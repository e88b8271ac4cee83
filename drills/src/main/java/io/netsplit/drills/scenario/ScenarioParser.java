package io.netsplit.drills.scenario;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import io.netsplit.drills.step.StepKinds;
import io.netsplit.reconcile.ReconcileConfig;
import io.netsplit.reconcile.merge.ConflictState;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The format is documented in drills/README.md. Steps are read by their {@link StepKind}, found by
 * name in {@link StepKinds#ALL} (or in the list a caller gives).
 */
public final class ScenarioParser {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The merge core's conflict states as a manifest may name them: {@code none, resolved or pending}. */
    private static final String CONFLICT_STATES = conflictStates();

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
        return parse(name, text, StepKinds.ALL);
    }

    /** Parses manifest text whose steps may be of the given kinds. */
    public static Scenario parse(String name, String text, List<StepKind> kinds) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            // SnakeYAML's problem text can span lines (e.g. "unexpected character found \n(10)"): one line, always
            throw new ManifestException(name + ":" + line + ": not valid YAML: " + oneLine(String.valueOf(e.getProblem())));
        } catch (YAMLException e) {
            throw new ManifestException(name + ": not valid YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (root == null) {
            throw new ManifestException(name + ": the manifest is empty");
        }
        return new ScenarioParser.Reader(kinds).scenario(new ManifestNode(root, "", name), text);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** Parsing state: the step kinds, and the manifest's sites, known once the top level is read. */
    private static String conflictStates() {
        List<String> names = Arrays.stream(ConflictState.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static final class Reader {
        private final Map<String, StepKind> kinds = new LinkedHashMap<>();
        private List<String> sites = List.of();

        Reader(List<StepKind> kinds) {
            kinds.forEach(k -> {
                if (this.kinds.putIfAbsent(k.name(), k) != null) {
                    throw new IllegalArgumentException("two step kinds named '" + k.name() + "'");
                }
            });
        }

        Scenario scenario(ManifestNode root, String text) {
            Map<String, ManifestNode> top = root.map(Set.of("scenario", "description", "sites", "policy", "seed", "steps", "expect"));
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
            sites = top.get("sites").sites(List.of(), 1);
            PolicySpec policy = top.containsKey("policy") ? policy(top.get("policy")) : defaultPolicy();
            long seed = top.containsKey("seed") ? top.get("seed").integer(Long.MIN_VALUE, Long.MAX_VALUE) : 0L;
            List<Step> steps = new ArrayList<>();
            for (ManifestNode s : top.get("steps").list()) {
                steps.add(step(s));
            }
            if (steps.isEmpty()) {
                throw top.get("steps").fail("a scenario needs at least one step");
            }
            Expectations expect = expectations(top.get("expect"));
            return new Scenario(id, description, sites, policy, seed, steps, expect, text);
        }

        private PolicySpec defaultPolicy() {
            return new PolicySpec(ReconcileConfig.POLICY_DEFAULT_DEFAULT, Map.of(), sites, sites);
        }

        private PolicySpec policy(ManifestNode y) {
            if (y.isScalar()) {
                return new PolicySpec(policyName(y), Map.of(), sites, sites);
            }
            Map<String, ManifestNode> m = y.map(Set.of("default", "prefixes", "site-order", "authority"));
            String dflt = m.containsKey("default") ? policyName(m.get("default")) : ReconcileConfig.POLICY_DEFAULT_DEFAULT;
            Map<String, String> prefixes = new LinkedHashMap<>();
            if (m.containsKey("prefixes")) {
                m.get("prefixes").map(null).forEach((prefix, p) -> prefixes.put(prefix, policyName(p)));
            }
            List<String> order = m.containsKey("site-order") ? permutationOfSites(m.get("site-order")) : sites;
            List<String> authority = m.containsKey("authority") ? permutationOfSites(m.get("authority")) : order;
            return new PolicySpec(dflt, prefixes, order, authority);
        }

        private List<String> permutationOfSites(ManifestNode y) {
            List<String> order = y.sites(sites, sites.size());
            if (order.size() != sites.size()) {
                throw y.fail("must rank every site of the scenario " + sites);
            }
            return order;
        }

        private static String policyName(ManifestNode y) {
            String p = y.str();
            if (!PolicySpec.POLICIES.contains(p)) {
                throw y.fail("unknown policy '" + p + "' (expected one of " + PolicySpec.POLICIES + ")");
            }
            return p;
        }

        /**
         * A step: a mapping with exactly one kind's key, and beside it only that kind's options. The
         * kind reads the rest ({@link StepKind#parse}).
         */
        private Step step(ManifestNode y) {
            Map<String, ManifestNode> m = y.map(null);
            List<String> found = m.keySet().stream().filter(kinds::containsKey).toList();
            if (found.size() != 1) {
                throw y.fail(found.isEmpty()
                        ? "a step needs one of " + kinds.keySet().stream().sorted().toList() + ", got " + m.keySet()
                        : "a step has exactly one kind, got " + found);
            }
            StepKind kind = kinds.get(found.get(0));
            Map<String, ManifestNode> options = new LinkedHashMap<>();
            for (Map.Entry<String, ManifestNode> e : m.entrySet()) {
                if (e.getKey().equals(kind.name())) {
                    continue;
                }
                if (!kind.options().contains(e.getKey())) {
                    throw e.getValue().fail("unknown key next to '" + kind.name() + "'");
                }
                options.put(e.getKey(), e.getValue());
            }
            return kind.parse(new StepInput(y.line(), m.get(kind.name()), options, sites));
        }

        private Expectations expectations(ManifestNode y) {
            Map<String, ManifestNode> m = y.map(Set.of("within", "status", "records", "no-lost-writes", "replay-identical",
                    "audit-complete"));
            Duration within = m.containsKey("within") ? m.get("within").duration() : Duration.ofSeconds(60);
            Map<String, Expectations.StatusCounts> status = new LinkedHashMap<>();
            if (m.containsKey("status")) {
                m.get("status").map(null).forEach((siteName, counts) -> {
                    if (!sites.contains(siteName)) {
                        throw counts.fail("site '" + siteName + "' is not one of the scenario's sites " + sites);
                    }
                    Map<String, ManifestNode> c = counts.map(Set.of("conflicts", "merged", "pending"));
                    status.put(siteName, new Expectations.StatusCounts(
                            counts.required(c, "conflicts").integer(0, Long.MAX_VALUE),
                            counts.required(c, "merged").integer(0, Long.MAX_VALUE),
                            counts.required(c, "pending").integer(0, Long.MAX_VALUE)));
                });
            }
            Map<String, Expectations.RecordExpectation> records = new LinkedHashMap<>();
            if (m.containsKey("records")) {
                m.get("records").map(null).forEach((key, r) -> {
                    Map<String, ManifestNode> a = r.map(Set.of("fields", "version", "deleted", "conflict"));
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
                        if (Arrays.stream(ConflictState.values()).noneMatch(state -> state.name().equals(c))) {
                            throw a.get("conflict").fail("'" + a.get("conflict").str() + "' is not " + CONFLICT_STATES);
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

        private static boolean flag(Map<String, ManifestNode> m, String key, boolean dflt) {
            return m.containsKey(key) ? m.get(key).bool() : dflt;
        }
    }
}
