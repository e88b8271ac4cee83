package io.netsplit.audit.cli;

import io.netsplit.audit.RepairReport;
import io.netsplit.audit.SiteRepair;
import io.netsplit.audit.VerifyReport;
import io.netsplit.audit.store.SequenceRange;
import io.netsplit.audit.store.SiteAudit;
import io.netsplit.lab.Lab;
import io.netsplit.lab.SiteDescriptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code netsplit audit verify|repair}: checks every site's audit store for missing sequence numbers
 * and restores them from the audit topic. Talks to each site's audit sink (lab.json key
 * {@code audit}). Exit 0 when the audit is complete, 1 when records are (still) missing.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify and repair the audit stores: every decision recorded, no sequence gaps.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Repair.class})
public final class AuditCommand {

    static String ranges(List<SequenceRange> ranges) {
        return ranges.stream().map(SequenceRange::toString).collect(Collectors.joining(", "));
    }

    /** {@code audit verify}: missing sequence ranges per deciding site. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Report the missing sequence ranges per deciding site; exit 1 if any are missing.")
    public static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabSites labSites;

        @Option(names = "--site", paramLabel = "SITE", description = "Only this site's audit store (default: every site).")
        String site;

        @Option(names = "--deciding-site", paramLabel = "SITE",
                description = "Only records decided by this site (default: every deciding site in the store).")
        String decidingSite;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Lab lab = labSites.lab();
            long missing = 0;
            for (SiteDescriptor s : LabSites.select(lab, site)) {
                VerifyReport report = LabSites.audit(s).verify(decidingSite);
                if (report.decidingSites().isEmpty()) {
                    out.println(s.name() + ": no audit records yet");
                }
                for (SiteAudit a : report.decidingSites()) {
                    missing += a.missingCount();
                    out.println(s.name() + ": deciding site " + a.decidingSite() + " sequences " + a.first() + ".."
                            + a.last() + ": " + a.stored() + " stored, "
                            + (a.complete() ? "complete" : "missing " + ranges(a.missing()) + " (" + a.missingCount()
                            + " records)"));
                }
                if (report.anomalies() > 0) {
                    out.println(s.name() + ": " + report.anomalies() + " anomalies (unreadable records or sequence collisions)");
                }
            }
            out.println(missing == 0 ? "audit complete" : "audit incomplete: " + missing + " records missing");
            out.flush();
            return missing == 0 ? 0 : 1;
        }
    }

    /** {@code audit repair}: restores missing records from the audit topic. */
    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = "Restore missing records by re-reading the audit topic; exit 1 if some are still missing.")
    public static final class Repair implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabSites labSites;

        @Option(names = "--site", paramLabel = "SITE", description = "Only this site's audit store (default: every site).")
        String site;

        @Option(names = "--deciding-site", paramLabel = "SITE",
                description = "Only records decided by this site (default: every deciding site with gaps).")
        String decidingSite;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Lab lab = labSites.lab();
            long still = 0;
            long restored = 0;
            for (SiteDescriptor s : LabSites.select(lab, site)) {
                RepairReport report = LabSites.audit(s).repair(decidingSite);
                if (report.decidingSites().isEmpty()) {
                    out.println(s.name() + ": nothing missing");
                }
                for (SiteRepair r : report.decidingSites()) {
                    long left = r.stillMissing().stream().mapToLong(SequenceRange::size).sum();
                    still += left;
                    restored += r.restored();
                    out.println(s.name() + ": deciding site " + r.decidingSite() + ": missing " + ranges(r.missingBefore())
                            + "; restored " + r.restored() + " records"
                            + (r.restoredRanges().isEmpty() ? "" : " (" + ranges(r.restoredRanges()) + ")")
                            + (left == 0 ? "; complete" : "; still missing " + ranges(r.stillMissing())
                            + " (not in topic " + report.topic() + ")"));
                }
            }
            out.println(still == 0 ? "audit complete (" + restored + " records restored)"
                    : "audit incomplete: " + still + " records could not be restored");
            out.flush();
            return still == 0 ? 0 : 1;
        }
    }
}
