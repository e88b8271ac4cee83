package io.netsplit.kit;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one factory of JSON mappers: every service, client, command and file writer takes its {@code ObjectMapper}
 * from here, so every part of the system writes and reads JSON the same way.
 * <p>
 * {@link #mapper()} is the default, and the mapper of the HTTP APIs and their clients: Jackson's defaults, so every
 * answer is written as it always was (compact, one line, dates as numbers), with one change for readers: unknown
 * properties are ignored, so a client keeps working when a service adds a field. The other mappers differ from it on
 * purpose, each for the reason its method gives: {@link #pretty()} for files people read, {@link #strict()} for
 * request bodies that must not be ambiguous. No modules are registered: what the services serve is maps, records and
 * enums, and a mapper that depends on what happens to be on the class path would not write the same bytes in every
 * JVM.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final ObjectMapper PRETTY = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** The shared mapper; thread-safe. Do not reconfigure it: derive a copy ({@code mapper().copy()}) instead. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * As {@link #mapper()}, but written indented over several lines: for files people open and read (a drill's
     * {@code report.json}, the lab's {@code lab.json}, a decisions export). Never for an HTTP answer or a log line,
     * which are one line each.
     */
    public static ObjectMapper pretty() {
        return PRETTY;
    }

    /**
     * For request bodies a service must not guess at (the site-writer's entity bodies): a field named twice is an
     * error rather than "the last one wins", so a client and the writer can never disagree on which value was meant;
     * unknown properties of a bound type fail too (Jackson's default). Compact output, as {@link #mapper()}.
     */
    public static ObjectMapper strict() {
        return STRICT;
    }
}
