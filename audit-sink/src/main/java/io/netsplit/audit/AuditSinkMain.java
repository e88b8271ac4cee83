package io.netsplit.audit;

import io.netsplit.kit.ServiceMain;

/**
 * Runs one audit sink until SIGTERM, by the kit's {@link ServiceMain} convention: {@code AuditSinkMain [--config FILE]
 * [--set KEY=VALUE]... | --list-config}, with the keys of {@link AuditSinkConfig}. Exit code 2 for bad arguments or
 * configuration, 1 if it cannot start or its consumer stops (so a supervisor, the lab or systemd, restarts it).
 */
public final class AuditSinkMain {

    private AuditSinkMain() {
    }

    public static void main(String[] args) {
        service().main(args);
    }

    /** The command: configuration, then the sink until SIGTERM or until its consumer stops. */
    public static ServiceMain<AuditSinkConfig> service() {
        return ServiceMain.of("audit-sink", "Stores one site's audit topic in a database and serves it over HTTP.",
                AuditSinkConfig.configDef(), AuditSinkConfig::new).run((config, context) -> {
                    AuditSink sink = AuditSink.start(config);
                    // a sink whose consumer died records nothing: exit, so a supervisor restarts it
                    return context.runUntilStopped(sink, sink::consuming,
                            "the consumer of site " + config.site() + " stopped (see the log); exiting");
                });
    }
}
