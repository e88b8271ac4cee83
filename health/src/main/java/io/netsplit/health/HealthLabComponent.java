package io.netsplit.health;

import io.netsplit.kit.CommonKeys;
import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.LabDescriptor;
import io.netsplit.lab.SiteDescriptor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Starts one checker JVM for the whole lab (component {@code health}, start order 60: after everything it
 * checks), reading the sites from the lab's {@code lab.json}, and lists its HTTP API as every site's
 * {@code health} service. Lab settings starting with {@code health.} (interval, thresholds, webhooks...)
 * and the settings every service shares ({@code topic.*}, {@code kafka.*}) are passed to it.
 */
public final class HealthLabComponent implements LabComponent {

    /** The component name, and the service key in {@code lab.json}. */
    public static final String NAME = "health";

    private static final Set<String> LAB_OWNED = Set.of(HealthConfig.DESCRIPTOR, HealthConfig.HTTP_PORT, HealthConfig.HTTP_HOST);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int startOrder() {
        return 60;
    }

    /** Stops together with the other site services, after the mirror. */
    @Override
    public int stopOrder() {
        return STOP_WITH_SITE_SERVICES;
    }

    @Override
    public void start(LabContext context) {
        int port = context.freePort();
        String url = "http://127.0.0.1:" + port;
        List<String> args = new ArrayList<>();
        set(args, HealthConfig.DESCRIPTOR, context.runDir().toAbsolutePath().resolve(LabDescriptor.FILE_NAME).toString());
        set(args, HealthConfig.HTTP_HOST, "127.0.0.1");
        set(args, HealthConfig.HTTP_PORT, Integer.toString(port));
        context.config().settings().forEach((key, value) -> {
            if ((key.startsWith(HealthConfig.PREFIX) || CommonKeys.isShared(key))
                    && !LAB_OWNED.contains(CommonKeys.canonical(key, HealthConfig.DEPRECATED))) {
                set(args, key, value);
            }
        });
        context.launchJava(NAME, null, List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                HealthMain.class.getName(), args, () -> ready(url));
        for (SiteDescriptor site : context.sites()) {
            context.putService(site.name(), NAME, url);
        }
    }

    private static void set(List<String> args, String key, String value) {
        args.add("--set");
        args.add(key + "=" + value);
    }

    private static boolean ready(String url) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/ready"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }
}
