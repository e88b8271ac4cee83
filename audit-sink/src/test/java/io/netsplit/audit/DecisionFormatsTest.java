package io.netsplit.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.netsplit.audit.AuditFixtures.conflict;
import static io.netsplit.audit.AuditFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

class DecisionFormatsTest {

    @Test
    void shouldQuoteCsvCellsThatNeedIt() {
        assertThat(DecisionFormats.csvCell("plain")).isEqualTo("plain");
        assertThat(DecisionFormats.csvCell("a,b")).isEqualTo("\"a,b\"");
        assertThat(DecisionFormats.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(DecisionFormats.csvCell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void shouldKeepUserTextOnOneLine() {
        var e = conflict("us-east", 1, "evil\nkey");
        String line = DecisionFormats.line(stored(e, 1));

        assertThat(line).doesNotContain("\n").contains("key=evil\\u000akey");
    }

    @Test
    void shouldWriteOneCsvRowPerDecision() {
        String csv = DecisionFormats.csv(List.of(stored(conflict("us-east", 1, "k,1"), 5)));

        assertThat(csv.split("\r\n")).hasSize(2);
        assertThat(csv).contains("\"k,1\"").contains("us-east:11@v7 eu-west:4@v6").contains("eu-west=4;us-east=11")
                .contains("audit[0]@5");
    }
}
