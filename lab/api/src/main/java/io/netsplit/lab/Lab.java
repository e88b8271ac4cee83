package io.netsplit.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * A running multi-site environment, embedded on this machine or described by a {@code lab.json}.
 * Tests and commands use it to find each site's Kafka, the schema registry and the site services.
 */
public interface Lab {

    /** The Confluent-API base URL of the schema registry (for Apicurio: {@code .../apis/ccompat/v7}). */
    String registryUrl();

    /** Every site, in the configured order. */
    List<SiteDescriptor> sites();

    /** One site by alias; a clear error if the lab has no such site. */
    default SiteDescriptor site(String name) {
        return LabDescriptor.findSite(sites(), name);
    }

    /** The run directory: logs, data, and {@code lab.json}. */
    Path runDir();

    /** The current descriptor, as written to {@code lab.json}. */
    LabDescriptor descriptor();
}
