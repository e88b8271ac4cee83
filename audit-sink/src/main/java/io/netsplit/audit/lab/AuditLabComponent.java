package io.netsplit.audit.lab;

import io.netsplit.audit.AuditSinkConfig;
import io.netsplit.audit.AuditSinkMain;
import io.netsplit.kit.CommonKeys;
import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.SiteDescriptor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one audit sink JVM per site ({@code audit@<site>}), reading the site's {@code audit} topic
 * into SQLite at {@code <runDir>/sites/<site>/audit.db}, and lists its HTTP API in {@code lab.json}
 * under the key {@code audit}. Deleting records over HTTP is enabled in the lab, for the drills'
 * lose-audit step. The lab settings every service shares ({@code topic.*}, {@code kafka.*}) are passed to it.
 */
public final class AuditLabComponent implements LabComponent.SiteService {

    /** The {@code lab.json} service key of each site's audit sink. */
    public static final String SERVICE_KEY = "audit";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public int startOrder() {
        return 50;
    }

    @Override
    public void start(LabContext context) {
        for (SiteDescriptor site : context.sites()) {
            int port = context.freePort();
            String url = "http://127.0.0.1:" + port;
            Path db = context.runDir().resolve("sites").resolve(site.name()).resolve("audit.db");
            List<String> args = new ArrayList<>();
            // the settings every service shares (topic.*, kafka.*) first: what the lab owns comes after and wins
            context.config().settings().forEach((key, value) -> {
                if (CommonKeys.isShared(key)) {
                    set(args, key, value);
                }
            });
            set(args, AuditSinkConfig.SITE, site.name());
            set(args, AuditSinkConfig.BOOTSTRAP_SERVERS, site.bootstrap());
            set(args, AuditSinkConfig.SCHEMA_REGISTRY_URL, context.registryUrl());
            set(args, AuditSinkConfig.STORE_URL, "jdbc:sqlite:" + db);
            set(args, AuditSinkConfig.HTTP_HOST, "127.0.0.1");
            set(args, AuditSinkConfig.HTTP_PORT, Integer.toString(port));
            set(args, AuditSinkConfig.DELETE_ENABLED, "true");
            // drills kill sinks: a restarted sink should not wait 45 s for its dead predecessor's session
            set(args, CommonKeys.KAFKA_PREFIX + "session.timeout.ms", "6000");
            set(args, CommonKeys.KAFKA_PREFIX + "heartbeat.interval.ms", "1500");
            context.launchJava(name(), site.name(), List.of("-Xms32m", "-Xmx160m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                            "-XX:TieredStopAtLevel=1"), AuditSinkMain.class.getName(), args,
                    () -> healthy(url));
            context.putService(site.name(), SERVICE_KEY, url);
        }
    }

    private static void set(List<String> args, String key, String value) {
        args.add("--set");
        args.add(key + "=" + value);
    }

    private static boolean healthy(String url) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }
}
