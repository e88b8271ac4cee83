package io.netsplit.writer;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code site-writer}: runs one site's writer until SIGTERM. Configuration from a properties file and/or
 * {@code --set key=value} (later wins); {@code --list-config} prints every key with its doc and default.
 * Exit codes: 0 stopped, 2 bad configuration, 3 fenced by a newer writer of the site, 1 other failure.
 */
@Command(name = "site-writer", mixinStandardHelpOptions = true,
        description = "The write API that mints versioned, causally tagged change events at one site.")
public final class SiteWriterMain implements Callable<Integer> {

    /** Exit code of a writer that a newer writer process of its site fenced. */
    public static final int EXIT_FENCED = 3;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file with writer.* keys.")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "A configuration key, e.g. "
            + "--set writer.site=us-east; repeatable; wins over --config.")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--list-config", description = "Print every configuration key with its default and doc, then exit.")
    boolean listConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new SiteWriterMain());
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("site-writer: " + oneLine(e));
            return e instanceof ConfigException ? 2 : 1;
        });
        System.exit(cmd.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (listConfig) {
            for (ConfigDef.ConfigKey key : SiteWriterConfig.configDef().configKeys().values()) {
                out.printf("%s (default: %s)%n    %s%n", key.name,
                        key.hasDefault() ? String.valueOf(key.defaultValue) : "required", key.documentation);
            }
            out.flush();
            return 0;
        }
        Map<String, Object> props = new HashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                p.load(in);
            }
            p.forEach((k, v) -> props.put(k.toString(), v.toString()));
        }
        props.putAll(settings);
        SiteWriterConfig config = new SiteWriterConfig(props);
        SiteWriter writer = SiteWriter.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        writer.onFenced(() -> {
            System.err.println("site-writer: fenced by a newer writer process for site " + config.site() + "; exiting");
            Runtime.getRuntime().halt(EXIT_FENCED);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            writer.close();
            stopped.countDown();
        }, "site-writer-shutdown"));
        out.println("site-writer " + config.site() + " listening on " + writer.baseUrl());
        out.flush();
        stopped.await();
        return 0;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace('\n', ' ');
    }

    /** The command line the lab uses for one site. */
    static List<String> labArgs(String site, String bootstrap, String registryUrl, int port) {
        return List.of("--set", SiteWriterConfig.SITE + "=" + site,
                "--set", SiteWriterConfig.BOOTSTRAP_SERVERS + "=" + bootstrap,
                "--set", SiteWriterConfig.SCHEMA_REGISTRY_URL + "=" + registryUrl,
                "--set", SiteWriterConfig.HTTP_PORT + "=" + port);
    }

}
