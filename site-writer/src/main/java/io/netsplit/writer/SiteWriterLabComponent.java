package io.netsplit.writer;

import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.SiteDescriptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Starts one site-writer JVM per lab site (start order 40) and lists it in {@code lab.json} as the site's
 * {@code writer} service. The lab owns the processes: drills kill and restart them as component {@code writer}.
 */
public final class SiteWriterLabComponent implements LabComponent {

    /** The component name, and the service key in {@code lab.json}. */
    public static final String NAME = "writer";

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
            context.launchJava(NAME, site.name(), List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC"),
                    SiteWriterMain.class.getName(),
                    SiteWriterMain.labArgs(site.name(), site.bootstrap(), context.registryUrl(), port),
                    () -> healthy(url));
            context.putService(site.name(), NAME, url);
        }
    }

    private static boolean healthy(String baseUrl) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }
}
