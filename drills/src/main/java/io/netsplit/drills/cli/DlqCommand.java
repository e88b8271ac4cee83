package io.netsplit.drills.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netsplit.drills.dlq.DeadLetter;
import io.netsplit.drills.dlq.DeadLetterLog;
import io.netsplit.drills.dlq.Redriver;
import io.netsplit.drills.scenario.Durations;
import io.netsplit.kit.Json;
import io.netsplit.kit.SiteAlias;
import io.netsplit.kit.TopicName;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.Topic;
import io.netsplit.schemas.Topics;
import io.netsplit.schemas.serde.WireFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code netsplit dlq}: the reconcilers' dead letters and the way back. {@code list} shows every site's
 * {@code changes.dlq} with each record's state (dead, redriven, redriven and dead again); {@code show} one record in
 * full, the event decoded when the registry can; {@code redrive} puts dead letters back on the site's local
 * {@code changes.redrive} and proves each merged (exit 0) or not (exit 3). Bad input exits 2.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters of the reconcilers: list, show, and redrive them once the cause is fixed.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Redrive.class})
public final class DlqCommand {

    /** Exit code of {@code redrive} when an event was not proven merged. */
    public static final int NOT_MERGED = 3;

    private static final int REASON_WIDTH = 100;

    private DlqCommand() {
    }

    /** The sites to look at: the one named (bad input if it is no alias or not in the lab), else every site. */
    static List<SiteDescriptor> sites(DescribedLab lab, String only) {
        if (only == null) {
            return lab.sites();
        }
        if (lab.sites().stream().noneMatch(s -> s.name().equals(only))) {
            throw new IllegalArgumentException("--site: no site '" + only + "' in the lab; sites: "
                    + lab.sites().stream().map(SiteDescriptor::name).toList());
        }
        return List.of(lab.site(only));
    }

    static void checkAlias(String option, String site) {
        if (site != null && !SiteAlias.isValid(site)) {
            throw new IllegalArgumentException(option + ": '" + site + "' is not a site alias (" + SiteAlias.RULE + ")");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every dead letter per site: offset, state (dead, redriven, redriven and dead again), source, key, size and reason.")
    static final class ListLetters implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Option(names = "--site", description = "Only this site.")
        String site;

        @Option(names = "--json", description = "One JSON array of every dead letter instead of text.")
        boolean json;

        @Override
        public Integer call() throws JsonProcessingException {
            checkAlias("--site", site);
            DescribedLab l = lab.open();
            List<DeadLetter> all = new ArrayList<>();
            for (SiteDescriptor s : sites(l, site)) {
                all.addAll(DeadLetterLog.read(s.name(), s.bootstrap()));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                all.forEach(d -> rows.add(row(d)));
                out.println(Json.mapper().writeValueAsString(rows));
                return 0;
            }
            for (DeadLetter d : all) {
                out.printf("%s %6d  %-10s %s  key=%s  %d bytes  %s%n", d.site(), d.offset(), d.state(), d.source(), d.keyText(),
                        d.size(), abbreviate(d.reason()));
            }
            long dead = all.stream().filter(d -> d.redriveOffset() == null).count();
            out.println(all.size() + " dead letter(s), " + dead + " not redriven");
            return 0;
        }

        private static String abbreviate(String s) {
            return s == null ? "(no reason)" : s.length() <= REASON_WIDTH ? s : s.substring(0, REASON_WIDTH - 1) + "…";
        }
    }

    static Map<String, Object> row(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("site", d.site());
        m.put("offset", d.offset());
        m.put("state", d.state());
        m.put("redriveOffset", d.redriveOffset());
        m.put("deadAgainAt", d.deadAgainAt());
        m.put("redrivenFrom", d.redrivenFrom());
        m.put("source", d.source());
        m.put("key", d.keyText());
        m.put("bytes", d.size());
        m.put("timestamp", Instant.ofEpochMilli(d.timestampMs()).toString());
        m.put("reason", d.reason());
        return m;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One dead letter in full: reason, source, key, size, state, and the event decoded when the registry can.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Parameters(index = "0", paramLabel = "SITE", description = "The site whose dead-letter topic holds it.")
        String site;

        @Parameters(index = "1", paramLabel = "OFFSET", description = "Its offset in changes.dlq (as dlq list shows).")
        long offset;

        @Override
        public Integer call() throws JsonProcessingException {
            checkAlias("SITE", site);
            if (offset < 0) {
                throw new IllegalArgumentException("OFFSET: " + offset + " is not an offset (0 or more)");
            }
            DescribedLab l = lab.open();
            SiteDescriptor s = sites(l, site).get(0);
            DeadLetter d = DeadLetterLog.read(s.name(), s.bootstrap()).stream().filter(x -> x.offset() == offset).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no dead letter at offset " + offset + " in "
                            + TopicName.DLQ.defaultName() + " at " + site));
            Map<String, Object> m = row(d);
            m.put("schemaId", schemaId(d));
            m.put("event", decode(l.registryUrl(), d));
            spec.commandLine().getOut().println(Json.pretty().writeValueAsString(m));
            return 0;
        }

        private static Object schemaId(DeadLetter d) {
            try {
                return d.value() == null ? null : WireFormat.schemaId(d.value());
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** The event as JSON text parsed into a tree, or why it cannot be decoded now. */
        private static Object decode(String registryUrl, DeadLetter d) {
            if (d.value() == null) {
                return "(tombstone: no value)";
            }
            ChangeEvent e;
            try (Topic<String, ChangeEvent> changes = Topics.changes(Topics.registry(registryUrl))) {
                e = changes.valueSerde().deserializer().deserialize(TopicName.CHANGES.defaultName(), d.value());
            } catch (RuntimeException ex) {
                return "cannot decode: " + ex.getMessage();
            }
            try {
                return Json.mapper().readTree(e.toString()); // Avro's JSON rendering of the record
            } catch (JsonProcessingException ex) {
                return e.toString();
            }
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Put dead letters back for the site's reconciler (on its local changes.redrive, never its changes) and prove "
                    + "each merged: exit 0 when every one is merged, 3 when one was dead-lettered again or not merged in time.")
    static final class Redrive implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Option(names = "--site", description = "Only this site (required with --offset).")
        String site;

        @Option(names = "--offset", paramLabel = "N", split = ",",
                description = "Only these dead-letter offsets (repeat or comma-separate); default: every dead letter not yet redriven.")
        List<Long> offsets = new ArrayList<>();

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s",
                description = "How long to wait for proof of each event (default: ${DEFAULT-VALUE}).")
        String wait;

        @Override
        public Integer call() {
            checkAlias("--site", site);
            Duration waitFor = Durations.require("--wait", wait);
            if (!offsets.isEmpty() && site == null) {
                throw new IllegalArgumentException("--offset needs --site: dead-letter offsets are per site");
            }
            for (long o : offsets) {
                if (o < 0) {
                    throw new IllegalArgumentException("--offset: " + o + " is not an offset (0 or more)");
                }
            }
            DescribedLab l = lab.open();
            PrintWriter out = spec.commandLine().getOut();
            int merged = 0;
            int notMerged = 0;
            for (SiteDescriptor s : sites(l, site)) {
                List<DeadLetter> chosen = choose(s, DeadLetterLog.read(s.name(), s.bootstrap()));
                if (chosen.isEmpty()) {
                    out.println(s.name() + ": nothing to redrive");
                    continue;
                }
                out.println(s.name() + ": redriving " + chosen.size() + " dead letter(s) into " + TopicName.REDRIVE.defaultName());
                for (Redriver.Outcome o : new Redriver(s.name(), s.bootstrap(), l.registryUrl()).redrive(chosen, waitFor)) {
                    String where = o.redriveOffset() == null ? "not redriven"
                            : (o.injected() ? "" : "earlier ") + "redrive offset " + o.redriveOffset();
                    out.println(s.name() + " " + o.letter().offset() + " key=" + o.letter().keyText() + " (" + where + "): "
                            + o.result().label() + " — " + o.detail());
                    if (o.result().merged()) {
                        merged++;
                    } else {
                        notMerged++;
                    }
                }
            }
            out.println("redrive: " + merged + " merged, " + notMerged + " not merged");
            return notMerged == 0 ? 0 : NOT_MERGED;
        }

        /** The offsets asked for (each must exist), else every dead letter not yet redriven. */
        private List<DeadLetter> choose(SiteDescriptor s, List<DeadLetter> letters) {
            if (offsets.isEmpty()) {
                return letters.stream().filter(d -> d.redriveOffset() == null).toList();
            }
            List<DeadLetter> chosen = new ArrayList<>();
            for (long o : new TreeSet<>(offsets)) {
                chosen.add(letters.stream().filter(d -> d.offset() == o).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "--offset: no dead letter at offset " + o + " in " + TopicName.DLQ.defaultName() + " at " + s.name()
                                + " (" + letters.size() + " dead letters)")));
            }
            return chosen;
        }
    }
}
