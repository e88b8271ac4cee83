package io.netsplit.health.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsplit.health.HealthReport;
import io.netsplit.health.StatusChange;

/** The checker's one JSON mapper: unknown properties are ignored so older readers keep working. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
