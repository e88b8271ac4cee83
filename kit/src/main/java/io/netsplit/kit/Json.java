package io.netsplit.kit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the services' HTTP APIs and their clients.
 * <p>
 * Jackson's defaults, so every answer is written as it always was (compact, one line, dates as numbers), with one
 * change for readers: unknown properties are ignored, so a client keeps working when a service adds a field (the
 * health, audit and mirror mappers already read that way). No modules are registered: what the services serve is
 * maps, records and enums, and a mapper that depends on what happens to be on the class path would not write the
 * same bytes in every JVM.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The shared mapper; thread-safe. Do not reconfigure it: derive a copy ({@code mapper().copy()}) instead. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
