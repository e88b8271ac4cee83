package io.netsplit.kit;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
