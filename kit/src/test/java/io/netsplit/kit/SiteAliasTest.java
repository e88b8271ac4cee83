package io.netsplit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SiteAliasTest {

    @Test
    void shouldAcceptLowercaseAliasesStartingWithALetter() {
        assertThat(SiteAlias.of("us-east").value()).isEqualTo("us-east");
        assertThat(SiteAlias.isValid("a")).isTrue();
        assertThat(SiteAlias.isValid("a" + "b".repeat(30))).isTrue();
    }

    @Test
    void shouldRefuseAnythingElseWithTheRule() {
        for (String bad : new String[] {"US-east", "1site", "-x", "us_east", "us.east", "", "a" + "b".repeat(31)}) {
            assertThat(SiteAlias.isValid(bad)).as(bad).isFalse();
        }
        assertThat(SiteAlias.isValid(null)).isFalse();
        assertThatThrownBy(() -> SiteAlias.of("US East")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'US East' is not a site alias (lowercase letters, digits and '-', starting with a letter, "
                        + "at most 31 characters)");
        assertThatThrownBy(() -> SiteAlias.validator().ensureValid("site", "Us")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("site").hasMessageContaining("not a site alias");
    }
}
