package io.netsplit.writer;

import io.netsplit.kit.CommonKeys;
import io.netsplit.kit.TopicSettings;
import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.SiteDescriptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Starts one site-writer JVM per lab site (start order 40) and lists it in {@code lab.json} as the site's
 * {@code writer} service. The lab owns the processes: drills kill and restart them as component {@code writer}.
 * Lab settings {@code writer.<key>} (say {@code writer.auth.token}) and the settings every service shares
 * ({@code topic.*}, {@code kafka.*}) are passed to every site's writer, {@code <site>.writer.<key>} (say
 * {@code eu-west.writer.auth.token}) to that site's only.
 */
public final class SiteWriterLabComponent implements LabComponent.SiteService {

    /** The component name, and the service key in {@code lab.json}. */
    public static final String NAME = "writer";

    private static final Set<String> LAB_OWNED = Set.of(SiteWriterConfig.SITE, SiteWriterConfig.BOOTSTRAP_SERVERS,
            SiteWriterConfig.SCHEMA_REGISTRY_URL, SiteWriterConfig.HTTP_PORT);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int startOrder() {
        return 40;
    }

    @Override
    public void start(LabContext context) {
        for (SiteDescriptor site : context.sites()) {
            int port = context.freePort();
            String url = "http://127.0.0.1:" + port;
            List<String> args = writerArgs(context.config().settings(), context.config().brokersPerSite(), site.name(),
                    site.bootstrap(), context.registryUrl(), port);
            // an out-of-memory error ends the process (seen as down) rather than leaving it half alive
            context.launchJava(NAME, site.name(), List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
                    SiteWriterMain.class.getName(), args, () -> healthy(url));
            context.putService(site.name(), NAME, url);
        }
    }

    /** The writer's command-line arguments: lab settings for it, then what the lab owns (site, Kafka, registry, port). */
    static List<String> writerArgs(Map<String, String> labSettings, int brokersPerSite, String site, String bootstrap,
                                   String registryUrl, int port) {
        List<String> args = new ArrayList<>();
        // writer.<key> for every site's writer, <site>.writer.<key> for one site (wins)
        String sitePrefix = site + ".";
        Map<String, String> settings = new TreeMap<>();
        labSettings.forEach((key, value) -> {
            if (key.startsWith("writer.") || CommonKeys.isShared(key)) {
                settings.putIfAbsent(key, value);
            }
        });
        labSettings.forEach((key, value) -> {
            if (key.startsWith(sitePrefix + "writer.")) {
                settings.put(key.substring(sitePrefix.length()), value);
            }
        });
        // with fewer than 3 brokers per site the lab's topics cannot keep a write through a broker loss: warn, not refuse
        settings.putIfAbsent(SiteWriterConfig.DURABILITY_CHECK,
                brokersPerSite >= TopicSettings.DURABLE_REPLICAS ? "fail" : "warn");
        settings.forEach((key, value) -> {
            if (!LAB_OWNED.contains(CommonKeys.canonical(key, SiteWriterConfig.DEPRECATED))) {
                args.add("--set");
                args.add(key + "=" + value);
            }
        });
        args.addAll(SiteWriterMain.labArgs(site, bootstrap, registryUrl, port));
        return args;
    }

    private static boolean healthy(String baseUrl) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }
}
