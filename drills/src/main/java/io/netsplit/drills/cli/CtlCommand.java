package io.netsplit.drills.cli;

import io.netsplit.drills.scenario.Durations;
import io.netsplit.lab.DescribedLab;
import io.netsplit.mirror.CutStyle;
import io.netsplit.mirror.LinkControl;
import io.netsplit.mirror.LinkControls;
import io.netsplit.mirror.LinkHealth;
import io.netsplit.mirror.LinkHealthClient;
import io.netsplit.mirror.LinkState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code netsplitctl}: cut, heal and degrade the links between sites. Exit 0 on success, 1 when the
 * link control fails, 2 on bad usage.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = "Partition and heal sites: isolate, heal, flap, latency, bandwidth, status.",
        subcommands = {CtlCommand.Isolate.class, CtlCommand.Heal.class, CtlCommand.Flap.class,
                CtlCommand.Latency.class, CtlCommand.Bandwidth.class, CtlCommand.Status.class})
public final class CtlCommand {

    /** Two sites of the lab, validated against lab.json. */
    abstract static class PairCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Parameters(index = "0", paramLabel = "SITE_A", description = "A site alias, e.g. us-east.")
        String a;

        @Parameters(index = "1", paramLabel = "SITE_B", description = "Another site alias, e.g. eu-west.")
        String b;

        @Override
        public Integer call() throws Exception {
            DescribedLab l = lab.open();
            l.site(a);
            l.site(b);
            if (a.equals(b)) {
                throw new IllegalArgumentException("a pair needs two different sites, got '" + a + "' twice");
            }
            try (LinkControl links = LinkControls.fromDescriptor(l.descriptor())) {
                return run(links, spec.commandLine().getOut());
            }
        }

        abstract int run(LinkControl links, PrintWriter out) throws Exception;
    }

    static CutStyle style(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "refuse" -> CutStyle.REFUSE;
            case "blackhole" -> CutStyle.BLACKHOLE;
            default -> throw new IllegalArgumentException("--style: '" + s + "' is not refuse or blackhole");
        };
    }

    @Command(name = "isolate", mixinStandardHelpOptions = true,
            description = "Cut the links between two sites (both directions, or SITE_A -> SITE_B with --one-way). Prints: partition active")
    static final class Isolate extends PairCommand {
        @Option(names = "--one-way", description = "Cut only SITE_A -> SITE_B: B stops receiving from A, A still receives from B.")
        boolean oneWay;

        @Option(names = "--style", defaultValue = "refuse",
                description = "refuse (connections reset and refused) or blackhole (bytes silently dropped). Default: ${DEFAULT-VALUE}.")
        String style;

        @Override
        int run(LinkControl links, PrintWriter out) {
            CutStyle cut = style(style);
            if (oneWay) {
                links.cutOneWay(a, b, cut);
            } else {
                links.isolate(a, b, cut);
            }
            out.println("partition active");
            return 0;
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = "Restore both directions between two sites and remove their faults. Prints: partition healed")
    static final class Heal extends PairCommand {
        @Override
        int run(LinkControl links, PrintWriter out) {
            links.heal(a, b);
            links.clearFaults(a, b);
            links.clearFaults(b, a);
            out.println("partition healed");
            return 0;
        }
    }

    @Command(name = "flap", mixinStandardHelpOptions = true, description = "Isolate and heal two sites repeatedly.")
    static final class Flap extends PairCommand {
        @Option(names = "--times", defaultValue = "5", description = "How many cut/heal cycles (default: ${DEFAULT-VALUE}).")
        int times;

        @Option(names = "--period", defaultValue = "3s", description = "Length of one cycle, e.g. 3s (default: ${DEFAULT-VALUE}).")
        String period;

        @Override
        int run(LinkControl links, PrintWriter out) {
            if (times < 1 || times > 1000) {
                throw new IllegalArgumentException("--times: " + times + " is not between 1 and 1000");
            }
            Duration p = Durations.require("--period", period);
            links.flap(a, b, times, p, CutStyle.REFUSE);
            out.println("flapped " + times + " times, partition healed");
            return 0;
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true, description = "Add latency (and jitter) to both directions between two sites.")
    static final class Latency extends PairCommand {
        @Parameters(index = "2", paramLabel = "LATENCY", description = "e.g. 80ms; 0ms removes it.")
        String latency;

        @Option(names = "--jitter", defaultValue = "0ms", description = "e.g. 20ms (default: ${DEFAULT-VALUE}).")
        String jitter;

        @Override
        int run(LinkControl links, PrintWriter out) {
            Duration l = Durations.require("LATENCY", latency);
            Duration j = Durations.require("--jitter", jitter);
            links.latency(a, b, l, j);
            links.latency(b, a, l, j);
            out.println("latency " + l.toMillis() + "ms ±" + j.toMillis() + "ms on " + a + " <-> " + b);
            return 0;
        }
    }

    @Command(name = "bandwidth", mixinStandardHelpOptions = true, description = "Limit the bandwidth of both directions between two sites.")
    static final class Bandwidth extends PairCommand {
        @Parameters(index = "2", paramLabel = "KBPS", description = "Kilobytes per second; 0 removes the limit.")
        long rate;

        @Override
        int run(LinkControl links, PrintWriter out) {
            if (rate < 0) {
                throw new IllegalArgumentException("KBPS: " + rate + " is negative");
            }
            links.bandwidth(a, b, rate);
            links.bandwidth(b, a, rate);
            out.println("bandwidth " + rate + " KB/s on " + a + " <-> " + b);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every link: up, cut or degraded, its faults and its replication lag.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Override
        public Integer call() {
            DescribedLab l = lab.open();
            PrintWriter out = spec.commandLine().getOut();
            Map<String, LinkHealth> health;
            try {
                health = LinkHealthClient.fromDescriptor(l.descriptor()).links().stream()
                        .collect(Collectors.toMap(LinkHealth::id, Function.identity()));
            } catch (RuntimeException e) {
                health = Map.of();
            }
            try (LinkControl links = LinkControls.fromDescriptor(l.descriptor())) {
                for (LinkState s : links.links()) {
                    LinkHealth h = health.get(s.id());
                    String state = s.isCut() ? "cut" : (s.isClear() ? (h == null ? "up" : h.status().label()) : "degraded");
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s %-10s", s.id(), state));
                    if (s.isCut()) {
                        line.append(" style=").append(s.cut().name().toLowerCase(Locale.ROOT));
                    }
                    if (s.latencyMs() > 0 || s.jitterMs() > 0) {
                        line.append(" latency=").append(s.latencyMs()).append("ms±").append(s.jitterMs()).append("ms");
                    }
                    if (s.bandwidthKBps() > 0) {
                        line.append(" bandwidth=").append(s.bandwidthKBps()).append("KB/s");
                    }
                    if (h != null) {
                        line.append(" lag=").append(h.lagRecords() == null ? "?" : h.lagRecords()).append(" records");
                        if (h.lagMs() != null) {
                            line.append("/").append(h.lagMs()).append("ms");
                        }
                    }
                    out.println(line);
                }
            }
            return 0;
        }
    }
}
