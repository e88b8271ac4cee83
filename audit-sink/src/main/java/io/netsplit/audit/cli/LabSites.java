package io.netsplit.audit.cli;

import io.netsplit.audit.lab.AuditLabComponent;
import io.netsplit.lab.DescribedLab;
import io.netsplit.lab.Lab;
import io.netsplit.lab.LabLocator;
import io.netsplit.lab.SiteDescriptor;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --lab DIR} option shared by the audit and conflicts commands, and the sites (and their
 * audit sinks) it leads to: {@code --lab}, else {@code $NETSPLIT_LAB}, else {@code ~/.netsplit/lab}.
 */
public final class LabSites {

    @Option(names = {"--lab", "--dir"}, paramLabel = "DIR",
            description = "The lab (or external sites) descriptor directory (default: $NETSPLIT_LAB, else ~/.netsplit/lab).")
    Path dir;

    /** The lab the options name; a one-line error if it is missing or not ready. */
    public Lab lab() {
        return DescribedLab.open(LabLocator.resolve(dir).toAbsolutePath());
    }

    /** The sites to ask: {@code site} alone if given (validated), else every site. */
    public static List<SiteDescriptor> select(Lab lab, String site) {
        return site == null ? lab.sites() : List.of(lab.site(site));
    }

    /** The audit sink client of a site; a one-line error if the site runs none. */
    public static AuditClient audit(SiteDescriptor site) {
        String url = site.service(AuditLabComponent.SERVICE_KEY).orElseThrow(() -> new IllegalStateException(
                "site '" + site.name() + "' has no audit sink in the lab descriptor (no '"
                        + AuditLabComponent.SERVICE_KEY + "' service)"));
        return new AuditClient(site.name(), url);
    }
}
