package io.netsplit.health.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.health.HealthReport;
import io.netsplit.health.StatusChange;

/**
 * The checker's JSON: the kit's mapper ({@link io.netsplit.kit.Json#mapper()}, unknown properties ignored so older
 * readers keep working), and the reading of its reports and status changes.
 */
public final class Json {

    public static final ObjectMapper MAPPER = io.netsplit.kit.Json.mapper();

    private Json() {
    }

    public static HealthReport readReport(String json) {
        return read(json, HealthReport.class);
    }

    public static StatusChange readChange(String json) {
        return read(json, StatusChange.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
