package io.netsplit.lab.internal;

import java.nio.file.Path;

/** Where the lab keeps what its processes share in the run directory: their logs and their logback file. */
public final class LabFiles {

    private LabFiles() {
    }

    /** The logback configuration every Java process of the lab runs with. */
    public static Path logback(Path runDir) {
        return runDir.resolve("logback-processes.xml");
    }

    /** {@code logs/<component>.log} for a shared component, {@code logs/<component>-<site>.log} for a site's. */
    public static Path log(Path runDir, String component, String site) {
        return runDir.resolve("logs").resolve(site == null ? component + ".log" : component + "-" + site + ".log");
    }

    /** The registry's database: under sites/, so a fresh lab starts with a fresh registry as with fresh brokers. */
    public static Path registryData(Path runDir) {
        return runDir.resolve("sites").resolve("registry");
    }
}
