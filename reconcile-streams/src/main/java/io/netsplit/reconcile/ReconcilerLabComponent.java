package io.netsplit.reconcile;

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
import java.util.Set;

/**
 * Starts one reconciler JVM per lab site (start order 30, component {@code reconciler}) and lists its
 * HTTP API in {@code lab.json} as the site's {@code reconciler} service. Lab settings starting with
 * {@code reconcile.} (policy, prefixes, site order, authority...) and the settings every service shares
 * ({@code topic.*}, {@code kafka.*}) go to every site's reconciler; the
 * site order defaults to the lab's site order. State lives under {@code <run dir>/sites/<site>/reconciler},
 * so a killed reconciler restarts from its local RocksDB state.
 */
public final class ReconcilerLabComponent implements LabComponent.SiteService {

    /** The component name, and the service key in {@code lab.json}. */
    public static final String NAME = "reconciler";

    private static final Set<String> LAB_OWNED = Set.of(ReconcileConfig.SITE, ReconcileConfig.BOOTSTRAP_SERVERS,
            ReconcileConfig.REGISTRY_URL, ReconcileConfig.HTTP_PORT, ReconcileConfig.STATE_DIR);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int startOrder() {
        return 30;
    }

    @Override
    public void start(LabContext context) {
        List<String> labSites = context.sites().stream().map(SiteDescriptor::name).toList();
        for (SiteDescriptor site : context.sites()) {
            int port = context.freePort();
            String url = "http://127.0.0.1:" + port;
            List<String> args = new ArrayList<>();
            set(args, ReconcileConfig.SITE, site.name());
            set(args, ReconcileConfig.BOOTSTRAP_SERVERS, site.bootstrap());
            set(args, ReconcileConfig.REGISTRY_URL, context.registryUrl());
            set(args, ReconcileConfig.HTTP_PORT, Integer.toString(port));
            set(args, ReconcileConfig.STATE_DIR, context.runDir().resolve("sites").resolve(site.name()).resolve("reconciler").toString());
            set(args, ReconcileConfig.SITE_ORDER, context.config().setting(ReconcileConfig.SITE_ORDER).orElse(String.join(",", labSites)));
            // min(3, brokers); with fewer than 3 brokers per site the topics cannot keep a commit through a broker loss:
            // warn, not refuse (a lab setting reconcile.durability.check, passed on below, wins)
            set(args, ReconcileConfig.REPLICATION_FACTOR, "-1");
            set(args, ReconcileConfig.DURABILITY_CHECK,
                    context.config().brokersPerSite() >= TopicSettings.DURABLE_REPLICAS ? "fail" : "warn");
            context.config().settings().forEach((key, value) -> {
                if ((key.startsWith("reconcile.") || CommonKeys.isShared(key)) && !labOwned(key)
                        && !key.equals(ReconcileConfig.SITE_ORDER)) {
                    set(args, key, value);
                }
            });
            context.launchJava(NAME, site.name(), List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"),
                    ReconcilerMain.class.getName(), args, () -> running(url));
            context.putService(site.name(), NAME, url);
        }
    }

    private static boolean labOwned(String key) {
        return LAB_OWNED.contains(CommonKeys.canonical(key, ReconcileConfig.DEPRECATED));
    }

    private static void set(List<String> args, String key, String value) {
        args.add("--set");
        args.add(key + "=" + value);
    }

    private static boolean running(String baseUrl) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("\"RUNNING\"");
    }
}
