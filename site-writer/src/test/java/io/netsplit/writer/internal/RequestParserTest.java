package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsplit.writer.SiteWriterConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(new SiteWriterConfig(Map.of(
            SiteWriterConfig.SITE, "us-east", SiteWriterConfig.BOOTSTRAP_SERVERS, "localhost:9092",
            SiteWriterConfig.SCHEMA_REGISTRY_URL, "http://localhost:8081", SiteWriterConfig.MAX_KEY_BYTES, "8",
            SiteWriterConfig.MAX_FIELDS, "2", SiteWriterConfig.MAX_VALUE_BYTES, "4")));

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void refused(Runnable r, int status, String error) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
        });
    }

    @Test
    void shouldTypeValuesAsTheSchemaDoes() {
        Map<String, Object> f = parser.fields(json("{\"s\":\"x\",\"n\":null}"));
        assertThat(f).containsEntry("s", "x").containsEntry("n", null);
        Map<String, Object> g = parser.fields(json("{\"i\":42,\"d\":1.5}"));
        assertThat(g.get("i")).isEqualTo(42L);
        assertThat(g.get("d")).isEqualTo(1.5);
        assertThat(parser.fields(json("{\"b\":true}"))).containsEntry("b", true);
    }

    @Test
    void shouldRefuseEachInvalidBodyWithItsStatus() {
        refused(() -> parser.fields(json("{\"a\":")), 400, "invalid_json");
        refused(() -> parser.fields(json("")), 400, "invalid_json");
        refused(() -> parser.fields(json("[1]")), 400, "invalid_type");
        refused(() -> parser.fields(json("{\"a\":{}}")), 400, "invalid_type");
        refused(() -> parser.fields(json("{\"a\":1,\"a\":2}")), 400, "invalid_json");
        refused(() -> parser.fields(json("{\"a\":99999999999999999999}")), 400, "invalid_type");
        refused(() -> parser.fields(json("{\"a\":1,\"b\":2,\"c\":3}")), 413, "too_many_fields");
        refused(() -> parser.fields(json("{\"a\":\"12345\"}")), 413, "value_too_large");
        refused(() -> parser.fields(json("{\"\":1}")), 400, "invalid_field");
    }

    @Test
    void shouldNotQuoteUserValuesInMessages() {
        assertThatThrownBy(() -> parser.fields(json("{\"a\": secretvalue}")))
                .isInstanceOf(ApiError.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain("secretvalue"));
    }

    @Test
    void shouldDecodeAndBoundKeys() {
        assertThat(parser.key("a%2Fb")).isEqualTo("a/b");
        assertThat(parser.key("a+b")).isEqualTo("a+b");
        refused(() -> parser.key(""), 400, "invalid_key");
        refused(() -> parser.key("a/b"), 400, "invalid_key");
        refused(() -> parser.key("123456789"), 400, "invalid_key");
        refused(() -> parser.key("%zz"), 400, "invalid_key");
        refused(() -> parser.key("a%0A"), 400, "invalid_key");
        refused(() -> parser.key("%20%20"), 400, "invalid_key");
        refused(() -> parser.key("%E2%80%AEgnp.exe"), 400, "invalid_key"); // U+202E RIGHT-TO-LEFT OVERRIDE
        refused(() -> parser.key("a%E2%81%A6b"), 400, "invalid_key");       // U+2066 LEFT-TO-RIGHT ISOLATE
        refused(() -> parser.key("a%C2%85"), 400, "invalid_key");           // U+0085, a C1 control
        assertThat(parser.key("%C3%A9-%F0%9F%98%80")).isEqualTo("é-😀");
    }

    @Test
    void shouldParseHeadersAndMediaTypes() {
        assertThat(parser.precondition("\"7-ab\"", null)).isEqualTo(new Precondition.Matches(List.of("7-ab")));
        assertThat(parser.precondition(" \"7-ab\", W/\"8-cd\" ,\"9-ef\"", null))
                .isEqualTo(new Precondition.Matches(List.of("7-ab", "9-ef")));
        assertThat(parser.precondition("W/\"8-cd\"", null)).isEqualTo(new Precondition.Matches(List.of()));
        assertThat(parser.precondition("*", null)).isEqualTo(new Precondition.Exists());
        assertThat(parser.precondition(null, "*")).isEqualTo(new Precondition.Absent());
        assertThat(parser.precondition(null, null)).isNull();
        refused(() -> parser.precondition("7", null), 400, "invalid_header");
        refused(() -> parser.precondition("\"7\"\"", null), 400, "invalid_header");
        refused(() -> parser.precondition("\"7-ab\",", null), 400, "invalid_header");
        refused(() -> parser.precondition(null, "\"7-ab\""), 400, "invalid_header");
        refused(() -> parser.precondition("*", "*"), 400, "invalid_header");
        assertThat(parser.idempotencyKey("req-1")).isEqualTo("req-1");
        refused(() -> parser.idempotencyKey("a b"), 400, "invalid_header");
        parser.requireJson("application/json; charset=utf-8");
        refused(() -> parser.requireJson("text/plain"), 415, "unsupported_media_type");
        refused(() -> parser.requireJson(null), 415, "unsupported_media_type");
        refused(() -> RequestParser.operation("POST"), 405, "method_not_allowed");
    }
}
