package io.netsplit.audit.cli;

import io.netsplit.kit.TopicName;
import com.fasterxml.jackson.core.type.TypeReference;
import io.netsplit.audit.DecisionFormats;
import io.netsplit.audit.store.DecisionFilter;
import io.netsplit.audit.store.StoredDecision;
import io.netsplit.lab.Lab;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.writer.SiteWriterClient;
import io.netsplit.writer.SiteWriterException;
import io.netsplit.writer.SiteWriterLabComponent;
import io.netsplit.writer.WriteAck;
import io.netsplit.writer.WriteOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code netsplit conflicts list|show|export|resolve}: the reconciliation decisions in the sites'
 * audit stores (through each site's audit sink, lab.json key {@code audit}), and the operator's
 * resolution of a pending conflict (through the site's writer, lab.json key {@code writer}).
 */
@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = "Query reconciliation decisions and resolve pending conflicts.",
        subcommands = {ConflictsCommand.ListDecisions.class, ConflictsCommand.Show.class, ConflictsCommand.Export.class,
                ConflictsCommand.Resolve.class})
public final class ConflictsCommand {

    /** {@code conflicts list}: one line per decision from every (or one) site's audit store. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per decision, ordered by time, deciding site and sequence.")
    public static final class ListDecisions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabSites labSites;

        @Mixin
        DecisionQuery query;

        @Override
        public Integer call() {
            query.parameters(Instant.now());
            Lab lab = labSites.lab();
            PrintWriter out = spec.commandLine().getOut();
            for (StoredDecision d : query.run(lab)) {
                out.println(DecisionFormats.line(d));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code conflicts show}: one decision in full, at every site that recorded it. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Every candidate, the winner and the reason of one decision, at every site that recorded it.")
    public static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabSites labSites;

        @Parameters(index = "0", paramLabel = "DECISION-ID", description = "The decision id (as conflicts list prints it).")
        String decisionId;

        @Option(names = "--site", paramLabel = "SITE", description = "Only this site's audit store (default: every site).")
        String site;

        @Override
        public Integer call() {
            if (decisionId.isBlank()) {
                throw new IllegalArgumentException("empty decision id");
            }
            Lab lab = labSites.lab();
            List<SiteDescriptor> sites = LabSites.select(lab, site);
            List<StoredDecision> found = new ArrayList<>();
            for (SiteDescriptor s : sites) {
                found.addAll(LabSites.audit(s).decision(decisionId));
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("no decision '" + DecisionFormats.printable(decisionId)
                        + "' in the audit stores of " + sites.stream().map(SiteDescriptor::name)
                        .collect(Collectors.joining(", ")));
            }
            found.sort(DecisionQuery.ORDER);
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < found.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                out.print(DecisionFormats.details(found.get(i)));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code conflicts export}: decisions as JSON or CSV. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export decisions as JSON or CSV, to a file or standard output.")
    public static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabSites labSites;

        @Mixin
        DecisionQuery query;

        @Option(names = "--format", paramLabel = "json|csv", defaultValue = "json",
                description = "Output format: json (an array of decisions) or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
        Path output;

        @Override
        public Integer call() {
            String f = format.toLowerCase(Locale.ROOT);
            if (!f.equals("json") && !f.equals("csv")) {
                throw new IllegalArgumentException("unknown --format '" + format + "': use json or csv");
            }
            query.parameters(Instant.now());
            if (output != null) {
                checkWritable(output);
            }
            List<StoredDecision> decisions = query.run(labSites.lab());
            String text = f.equals("json") ? DecisionFormats.json(decisions) : DecisionFormats.csv(decisions);
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(text);
                out.flush();
            } else {
                try {
                    Files.writeString(output, text, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write the export to " + output + ": " + describe(e), e);
                }
                spec.commandLine().getErr().println("exported " + decisions.size() + " decisions to " + output);
                spec.commandLine().getErr().flush();
            }
            return 0;
        }

        /** Fails before any query if the file cannot be written. */
        static void checkWritable(Path file) {
            Path abs = file.toAbsolutePath();
            if (Files.isDirectory(abs)) {
                throw new IllegalStateException("cannot write the export to " + file + ": it is a directory");
            }
            Path parent = abs.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new IllegalStateException("cannot write the export to " + file + ": directory " + parent
                        + " does not exist");
            }
            if (Files.exists(abs) ? !Files.isWritable(abs) : !Files.isWritable(parent)) {
                throw new IllegalStateException("cannot write the export to " + file + ": permission denied");
            }
        }

        private static String describe(IOException e) {
            if (e instanceof NoSuchFileException) {
                return "no such file or directory";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** {@code conflicts resolve}: ends a pending conflict through the site's writer. */
    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "End a pending conflict with an ordinary write that dominates every sibling.")
    public static final class Resolve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabSites labSites;

        @Parameters(index = "0", paramLabel = "KEY", description = "The entity key in conflict.")
        String key;

        /** Exactly one way to choose the resolved state. */
        static final class Choice {
            @Option(names = "--keep", paramLabel = "SITE", required = true,
                    description = "Keep the pending sibling written at SITE.")
            String keep;

            @Option(names = "--fields-file", paramLabel = "FILE", required = true,
                    description = "Write the fields in FILE (a JSON object of field name to value).")
            Path fieldsFile;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Choice choice;

        @Option(names = "--site", paramLabel = "SITE",
                description = "Write the resolution at SITE (default: the kept site with --keep, else the first site).")
        String site;

        @Option(names = "--converged-topic", paramLabel = "TOPIC",
                description = "The compacted topic holding each key's converged state (default: ${DEFAULT-VALUE}).")
        String convergedTopic = TopicName.CONVERGED.defaultName();

        @Option(names = "--wait", paramLabel = "DURATION", description = "Then wait until no audit store lists the "
                + "key as pending, at most this long (e.g. 60s); exit 1 if it still is.")
        String waitFor;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, Object> fields = choice.fieldsFile == null ? null : readFields(choice.fieldsFile);
            Duration wait = waitFor == null ? null : parseWait(waitFor);
            Lab lab = labSites.lab();
            String writeSite = site != null ? lab.site(site).name()
                    : choice.keep != null ? lab.site(choice.keep).name() : lab.sites().get(0).name();
            Map<String, String> bootstraps = new LinkedHashMap<>();
            lab.sites().forEach(s -> bootstraps.put(s.name(), s.bootstrap()));
            ConflictResolver resolver = new ConflictResolver(
                    ConvergedLookup.kafka(bootstraps, lab.registryUrl(), convergedTopic));
            ConflictResolver.Plan plan = resolver.plan(key, writeSite, choice.keep, fields);
            SiteDescriptor target = lab.site(writeSite);
            String writerUrl = target.service(SiteWriterLabComponent.NAME).orElseThrow(() -> new IllegalStateException(
                    "site '" + writeSite + "' has no writer in the lab descriptor (no 'writer' service)"));
            WriteAck written = write(writerUrl, plan);
            PrintWriter out = spec.commandLine().getOut();
            out.println("resolution of " + DecisionFormats.printable(key) + " written at " + writeSite + " ("
                    + (plan.delete() ? "delete" : "fields " + plan.fields().keySet()) + ", HTTP " + written.status()
                    + "), superseding " + String.join(", ", plan.siblings()));
            out.flush();
            if (wait == null) {
                return 0;
            }
            long deadline = System.nanoTime() + wait.toNanos();
            List<String> stillPending;
            do {
                stillPending = pendingAt(lab);
                if (stillPending.isEmpty()) {
                    out.println("no site lists " + DecisionFormats.printable(key) + " as pending");
                    out.flush();
                    return 0;
                }
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
            out.println(DecisionFormats.printable(key) + " still pending at " + String.join(", ", stillPending)
                    + " after " + waitFor);
            out.flush();
            return 1;
        }

        /**
         * The plan's write through the site-writer's client, with a fresh idempotency key so the writer's retries are
         * safe; a refusal or an unreachable writer is one line naming the site.
         */
        static WriteAck write(String writerUrl, ConflictResolver.Plan plan) {
            SiteWriterClient writer = new SiteWriterClient(writerUrl);
            WriteOptions options = WriteOptions.none().idempotencyKey("resolve-" + UUID.randomUUID());
            try {
                return plan.delete() ? writer.delete(plan.key(), options) : writer.put(plan.key(), plan.fields(), options);
            } catch (SiteWriterException e) {
                if (e.status() == 0) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new IllegalStateException("the writer of " + plan.site() + " (" + writerUrl + ") is unreachable: "
                            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), e);
                }
                throw new IllegalStateException("the writer of " + plan.site() + " refused the resolution: "
                        + e.getMessage(), e);
            }
        }

        private List<String> pendingAt(Lab lab) {
            List<String> sites = new ArrayList<>();
            Map<String, String> params = Map.of("key", key, "pending", "true",
                    "kind", String.join(",", DecisionFilter.CONFLICT_KINDS));
            for (SiteDescriptor s : lab.sites()) {
                if (s.service("audit").isPresent() && !LabSites.audit(s).conflicts(params).isEmpty()) {
                    sites.add(s.name());
                }
            }
            return sites;
        }

        static Map<String, Object> readFields(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --fields-file " + file + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
            try {
                Map<String, Object> fields = DecisionFormats.JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {
                });
                if (fields == null) {
                    throw new IllegalArgumentException("--fields-file " + file + " holds null, not a JSON object");
                }
                for (Map.Entry<String, Object> e : fields.entrySet()) {
                    Object v = e.getValue();
                    if (v instanceof Map || v instanceof List) {
                        throw new IllegalArgumentException("--fields-file " + file + ": field '" + e.getKey()
                                + "' is not a scalar (null, boolean, number or string)");
                    }
                }
                return fields;
            } catch (IOException e) {
                throw new IllegalArgumentException("--fields-file " + file + " is not a JSON object of fields: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }

        private static Duration parseWait(String text) {
            Instant now = Instant.now();
            try {
                return Duration.between(io.netsplit.audit.Since.parse(text, now), now);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed --wait '" + text + "': use a duration such as 60s or 2m");
            }
        }
    }
}
