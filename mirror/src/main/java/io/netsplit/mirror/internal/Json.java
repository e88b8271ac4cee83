package io.netsplit.mirror.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The mirror module's JSON mapper: the kit's ({@link io.netsplit.kit.Json#mapper()}), under the name this module's
 * classes already use. What the module writes and reads as JSON (link files, proxy configs, link health, MM2 and
 * Toxiproxy answers) holds no date or time values, so the kit's mapper, without Jackson modules, writes the same bytes.
 */
public final class Json {

    public static final ObjectMapper MAPPER = io.netsplit.kit.Json.mapper();

    private Json() {
    }
}
