package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.reconcile.merge.VersionVector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ETagsTest {

    @Test
    void shouldNameTheVersionAndDigestTheVectorWhateverItsOrder() {
        Map<String, Long> ordered = new LinkedHashMap<>();
        ordered.put("us-east", 118L);
        ordered.put("eu-west", 3L);
        // the tag the site-writer README shows for this state
        assertThat(ETags.of(7, ordered)).isEqualTo("7-07c4f0ccda6ffffb");
        assertThat(ETags.of(7, VersionVector.of("eu-west", 3, "us-east", 118))).isEqualTo("7-07c4f0ccda6ffffb");
    }

    @Test
    void shouldTellApartStatesAtOneVersionMadeOfOtherEvents() {
        String east = ETags.of(1, VersionVector.of("us-east", 1));
        String west = ETags.of(1, VersionVector.of("eu-west", 1));
        String merged = ETags.of(1, VersionVector.of("us-east", 1, "eu-west", 1));
        assertThat(east).isNotEqualTo(west).isNotEqualTo(merged).startsWith("1-");
        assertThat(west).isNotEqualTo(merged);
        assertThat(ETags.of(1, Map.of("us-east", 1L, "ap-south", 0L))).isEqualTo(east);
    }
}
