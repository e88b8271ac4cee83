package io.netsplit.drills.cli;

import io.netsplit.drills.run.DrillTarget;
import io.netsplit.drills.run.ReconcilerHttp;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.SiteDescriptor;
import io.netsplit.mirror.LinkHealth;
import io.netsplit.mirror.LinkHealthClient;
import io.netsplit.health.cli.HealthCommand;
import io.netsplit.reconcile.ReconcilerLabComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code reconcilectl}: what the reconcilers say. {@code status} prints
 * {@code conflicts=N merged=N pending=N} (one line when every site agrees, else one per site);
 * {@code verify} exits 0 only if the sites have converged.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Reconciliation status and convergence check across sites.",
        subcommands = {ReconcileCommand.Status.class, ReconcileCommand.Verify.class, HealthCommand.class})
public final class ReconcileCommand {

    /** Exit code of {@code verify} when the sites have not converged. */
    public static final int NOT_CONVERGED = 3;

    static List<DrillTarget.ReconcilerStatus> statuses(DescribedLab lab, String only) {
        List<DrillTarget.ReconcilerStatus> out = new ArrayList<>();
        for (SiteDescriptor s : lab.sites()) {
            if (only == null || only.equals(s.name())) {
                out.add(ReconcilerHttp.status(s.name(), s.requireService(ReconcilerLabComponent.NAME)));
            }
        }
        return out;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Conflicts, merged and pending per site: one line when all sites agree, else one line per site.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Option(names = "--site", description = "Only this site.")
        String site;

        @Option(names = "--per-site", description = "One line per site even when they agree.")
        boolean perSite;

        @Override
        public Integer call() {
            DescribedLab l = lab.open();
            if (site != null) {
                l.site(site);
            }
            List<DrillTarget.ReconcilerStatus> all = statuses(l, site);
            PrintWriter out = spec.commandLine().getOut();
            boolean agree = all.stream().map(DrillTarget.ReconcilerStatus::counts).distinct().count() == 1;
            if (agree && !perSite) {
                out.println(all.get(0).counts());
            } else {
                all.forEach(s -> out.println(s.site() + ": " + s.counts()));
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Converged? Equal digests and frontiers at every site, mirror and reconciler queues drained. Exit 0 only if converged, 3 if not.")
    static final class Verify implements Callable<Integer> {
        /** How often {@code --wait} checks again. */
        private static final long RECHECK_MILLIS = 250;

        @Spec
        CommandSpec spec;

        @Mixin
        LabOption lab;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s",
                description = "Check again until converged, for at most this long (e.g. 60s, 2m; default: ${DEFAULT-VALUE}, one check).")
        String wait;

        @Override
        public Integer call() throws InterruptedException {
            long waitMillis = io.netsplit.drills.scenario.Durations.require("--wait", wait).toMillis();
            DescribedLab l = lab.open();
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            Check check = check(l);
            while (!check.problems().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(RECHECK_MILLIS);
                check = check(l);
            }
            PrintWriter out = spec.commandLine().getOut();
            check.lines().forEach(out::println);
            if (check.problems().isEmpty()) {
                out.println("converged: " + check.sites() + " sites, digest " + check.digest());
                return 0;
            }
            out.println("NOT converged" + (waitMillis > 0 ? " after " + wait : "") + ": " + String.join("; ", check.problems()));
            return NOT_CONVERGED;
        }

        /** One look at every site: the lines to print, and what stands between them and convergence. */
        private record Check(List<String> lines, List<String> problems, int sites, String digest) {
        }

        private static Check check(DescribedLab l) {
            List<DrillTarget.ReconcilerStatus> all = statuses(l, null);
            List<String> lines = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            DrillTarget.ReconcilerStatus first = all.get(0);
            for (DrillTarget.ReconcilerStatus s : all) {
                lines.add(s.site() + ": digest=" + s.digest() + " frontier=" + new TreeMap<>(s.frontier())
                        + " input-lag=" + s.inputLag() + " " + s.counts());
                if (!Objects.equals(s.digest(), first.digest())) {
                    problems.add("digest of " + s.site() + " differs from " + first.site());
                }
                if (!s.frontier().equals(first.frontier())) {
                    problems.add("frontier of " + s.site() + " differs from " + first.site());
                }
                if (s.inputLag() != 0) {
                    problems.add(s.site() + " reconciler has " + s.inputLag() + " records to process");
                }
            }
            try {
                for (LinkHealth h : LinkHealthClient.fromDescriptor(l.descriptor()).links()) {
                    if (!h.drained()) {
                        problems.add("link " + h.id() + " is " + h.status().label() + " with lag " + h.lagRecords());
                    }
                }
            } catch (RuntimeException e) {
                problems.add("link health unavailable: " + e.getMessage());
            }
            return new Check(lines, problems, all.size(), first.digest());
        }
    }
}
