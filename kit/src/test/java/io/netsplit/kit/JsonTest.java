package io.netsplit.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    record Probe(String site, long lag) {
    }

    @Test
    void shouldWriteOneCompactLineAndReadPastPropertiesItDoesNotKnow() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "two\nlines");
        body.put("links", List.of(new Probe("us-east", 3)));

        assertThat(Json.mapper().writeValueAsString(body))
                .isEqualTo("{\"error\":\"two\\nlines\",\"links\":[{\"site\":\"us-east\",\"lag\":3}]}");
        assertThat(Json.mapper().readValue("{\"site\":\"eu-west\",\"lag\":1,\"addedLater\":true}", Probe.class))
                .isEqualTo(new Probe("eu-west", 1));
    }

    @Test
    void shouldIndentFilesPeopleReadAndStillReadPastUnknownProperties() throws Exception {
        String text = Json.pretty().writeValueAsString(new Probe("us-east", 3));

        assertThat(text).contains("\n").contains("  \"site\" : \"us-east\"");
        assertThat(Json.pretty().readValue("{\"site\":\"eu-west\",\"lag\":1,\"addedLater\":true}", Probe.class))
                .isEqualTo(new Probe("eu-west", 1));
    }

    @Test
    void shouldRefuseAFieldNamedTwiceOrUnknownWhenStrict() throws Exception {
        assertThatThrownBy(() -> Json.strict().readTree("{\"color\":\"red\",\"color\":\"blue\"}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'color'");
        assertThatThrownBy(() -> Json.strict().readValue("{\"site\":\"a\",\"lag\":1,\"other\":2}", Probe.class))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("other");
        assertThat(Json.mapper().readTree("{\"color\":\"red\",\"color\":\"blue\"}").get("color").asText())
                .isEqualTo("blue");
    }
}
