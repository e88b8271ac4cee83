package io.netsplit.writer;

import io.netsplit.kit.JsonHttpServer;
import io.netsplit.kit.ServiceMain;
import java.util.List;

/**
 * {@code site-writer}: runs one site's writer until SIGTERM, by the kit's {@link ServiceMain} convention
 * ({@code --config FILE}, {@code --set KEY=VALUE}, {@code --list-config}). Exit codes: 0 stopped, 2 bad arguments or
 * configuration, 3 fenced by a newer writer of the site, 1 other failure.
 */
public final class SiteWriterMain {

    /** Exit code of a writer that a newer writer process of its site fenced. */
    public static final int EXIT_FENCED = 3;

    private SiteWriterMain() {
    }

    public static void main(String[] args) {
        service().main(args);
    }

    /** The command: configuration, then the writer until SIGTERM. */
    public static ServiceMain<SiteWriterConfig> service() {
        return ServiceMain.of("site-writer", "The write API that mints versioned, causally tagged change events at one site.",
                SiteWriterConfig.configDef(), SiteWriterConfig::new).run((config, context) -> {
                    JsonHttpServer.processLimits(config.httpReadTimeout(), config.httpMaxConnections());
                    SiteWriter writer = SiteWriter.start(config);
                    writer.onFenced(() -> {
                        context.err().println("site-writer: fenced by a newer writer process for site " + config.site()
                                + "; exiting");
                        context.err().flush();
                        Runtime.getRuntime().halt(EXIT_FENCED);
                    });
                    context.out().println("site-writer " + config.site() + " listening on " + writer.baseUrl());
                    context.out().flush();
                    return context.runUntilStopped(writer);
                });
    }

    /** The command line the lab uses for one site. */
    static List<String> labArgs(String site, String bootstrap, String registryUrl, int port) {
        return List.of("--set", SiteWriterConfig.SITE + "=" + site,
                "--set", SiteWriterConfig.BOOTSTRAP_SERVERS + "=" + bootstrap,
                "--set", SiteWriterConfig.SCHEMA_REGISTRY_URL + "=" + registryUrl,
                "--set", SiteWriterConfig.HTTP_PORT + "=" + port);
    }
}
