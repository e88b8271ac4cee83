package io.netsplit.lab;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One site in {@code lab.json}: its alias, its Kafka bootstrap servers, and the HTTP base URLs of
 * its services (keys {@code writer}, {@code reconciler}, {@code audit}, ...), added by the lab
 * components that run them.
 */
public final class SiteDescriptor {

    private final String name;
    private final String bootstrap;
    private final Map<String, String> services = new LinkedHashMap<>();

    @JsonCreator
    public SiteDescriptor(@JsonProperty("name") String name, @JsonProperty("bootstrap") String bootstrap) {
        this.name = name;
        this.bootstrap = bootstrap;
    }

    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonProperty("bootstrap")
    public String bootstrap() {
        return bootstrap;
    }

    /** A service's base URL, e.g. {@code service("writer")}. */
    public Optional<String> service(String key) {
        return Optional.ofNullable(services.get(key));
    }

    /** A service's base URL, or a clear error naming the site and what is missing. */
    public String requireService(String key) {
        return service(key).orElseThrow(() -> new IllegalStateException(
                "site '" + name + "' has no '" + key + "' service in the lab descriptor"));
    }

    @JsonAnyGetter
    public Map<String, String> services() {
        return services;
    }

    @JsonAnySetter
    public void putService(String key, String url) {
        services.put(key, url);
    }

    @Override
    public String toString() {
        return "SiteDescriptor[" + name + " " + bootstrap + " " + services + "]";
    }
}
