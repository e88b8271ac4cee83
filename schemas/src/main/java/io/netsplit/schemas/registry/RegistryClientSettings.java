package io.netsplit.schemas.registry;

import io.netsplit.kit.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RestSchemaRegistryClient} reaches its registry.
 *
 * @param baseUrl        the registry's Confluent-API base URL, e.g. {@code http://registry:8081} or
 *                       {@code http://apicurio:8080/apis/ccompat/v7}; a trailing slash is dropped
 * @param maxAttempts    attempts per request on connection failures and 5xx answers (at least 1)
 * @param initialBackoff pause after the first failed attempt; doubled after each further one
 * @param maxBackoff     cap on the pause between attempts
 * @param requestTimeout time allowed for one attempt, connection included
 */
public record RegistryClientSettings(String baseUrl, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                     Duration requestTimeout) {

    /** Default number of attempts per request. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Default pause after the first failed attempt. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    /** Default cap on the pause between attempts. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);
    /** Default time allowed for one attempt. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Validates every setting and normalizes the base URL. */
    public RegistryClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        baseUrl = baseUrl.strip();
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema registry URL '" + baseUrl + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL '" + baseUrl + "' must be http://host[:port][/path] or https://...");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("schema registry retry attempts must be at least 1, got " + maxAttempts);
        }
        requirePositive(initialBackoff, "initial backoff");
        requirePositive(maxBackoff, "max backoff");
        requirePositive(requestTimeout, "request timeout");
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException("schema registry " + what + " must not be negative, got " + d);
        }
    }

    /** Settings for {@code baseUrl} with every other setting at its default. */
    public static RegistryClientSettings of(String baseUrl) {
        return new RegistryClientSettings(baseUrl, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
                DEFAULT_REQUEST_TIMEOUT);
    }

    /** A copy with another number of attempts. */
    public RegistryClientSettings withMaxAttempts(int attempts) {
        return new RegistryClientSettings(baseUrl, attempts, initialBackoff, maxBackoff, requestTimeout);
    }

    /** A copy with other backoff bounds. */
    public RegistryClientSettings withBackoff(Duration initial, Duration max) {
        return new RegistryClientSettings(baseUrl, maxAttempts, initial, max, requestTimeout);
    }

    /** A copy with another per-attempt timeout. */
    public RegistryClientSettings withRequestTimeout(Duration timeout) {
        return new RegistryClientSettings(baseUrl, maxAttempts, initialBackoff, maxBackoff, timeout);
    }

    /** The pause before attempt {@code attempt + 1}, after {@code attempt} failed attempts (1-based). */
    Duration backoffAfter(int attempt) {
        return backoff().delayAfter(attempt);
    }

    /** Doubling from the initial backoff up to the max one (a max below the initial one caps it too). */
    Backoff backoff() {
        Duration first = initialBackoff.compareTo(maxBackoff) <= 0 ? initialBackoff : maxBackoff;
        return Backoff.exponential(first, maxBackoff);
    }
}
