package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netsplit.writer.SiteWriterConfig;
import java.nio.charset.StandardCharsets;
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
    }

    @Test
    void shouldParseHeadersAndMediaTypes() {
        assertThat(parser.ifMatch("7")).isEqualTo(7L);
        assertThat(parser.ifMatch("\"7\"")).isEqualTo(7L);
        assertThat(parser.ifMatch("*")).isEqualTo(WriteCommand.IF_MATCH_ANY);
        assertThat(parser.ifMatch(null)).isNull();
        refused(() -> parser.ifMatch("abc"), 400, "invalid_header");
        refused(() -> parser.ifMatch("-3"), 400, "invalid_header");
        assertThat(parser.idempotencyKey("req-1")).isEqualTo("req-1");
        refused(() -> parser.idempotencyKey("a b"), 400, "invalid_header");
        parser.requireJson("application/json; charset=utf-8");
        refused(() -> parser.requireJson("text/plain"), 415, "unsupported_media_type");
        refused(() -> parser.requireJson(null), 415, "unsupported_media_type");
        refused(() -> RequestParser.operation("POST"), 405, "method_not_allowed");
    }
}
