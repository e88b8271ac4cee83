package io.netsplit.lab.internal;

import io.netsplit.lab.LabComponent;
import io.netsplit.lab.LabContext;
import io.netsplit.lab.LabException;
import io.netsplit.lab.ManagedProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lab component that runs the schema registry every site shares: the Apicurio distribution the build
 * unpacked ({@link RegistryDistribution}), with its data under the run directory so that ids survive a restart,
 * its compatibility set to {@code BACKWARD}. Serves the Confluent-compatible API at
 * {@code http://127.0.0.1:<port>/apis/ccompat/v7}; the lab learns that URL once the registry answers.
 */
public final class RegistryComponent implements LabComponent {

    /** Stopped just before the brokers, after every service that asks it. */
    static final int STOP_ORDER = 90;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final Consumer<String> onReady;

    /** {@code onReady} receives the registry's URL once it answers and is configured. */
    public RegistryComponent(int port, Consumer<String> onReady) {
        this.port = port;
        this.onReady = onReady;
    }

    /** The URL clients use, for a registry listening on {@code port}. */
    public static String url(int port) {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    @Override
    public String name() {
        return REGISTRY;
    }

    @Override
    public int startOrder() {
        return 0;
    }

    @Override
    public Set<String> startsAfter() {
        return Set.of();
    }

    @Override
    public int stopOrder() {
        return STOP_ORDER;
    }

    @Override
    public void start(LabContext context) {
        String base = url(port);
        ManagedProcess registry = context.startProcess(REGISTRY, null,
                RegistryDistribution.command(port, LabFiles.registryData(context.runDir())),
                () -> httpOk(base + "/subjects"));
        registry.awaitReady(context.config().readyTimeout());
        setCompatibility(base, "BACKWARD");
        onReady.accept(base);
    }

    private static boolean httpOk(String url) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    private static void setCompatibility(String base, String level) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/config"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new LabException("the registry refused compatibility " + level + ": HTTP " + r.statusCode()
                        + " " + r.body());
            }
        } catch (IOException e) {
            throw new LabException("cannot configure the registry: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
