package io.netsplit.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsplit.schemas.serde.MalformedPayloadException;
import io.netsplit.schemas.serde.SchemaRegistryUnavailableException;
import io.netsplit.schemas.serde.UnknownSchemaIdException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** What recovery reads without the registry, and which failures it refuses to skip. */
class ChangesLogTest {

    private static ConsumerRecord<String, byte[]> record(String dotHeader) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("changes", 0, 7L, "k", new byte[] {0, 0, 0, 0, 1});
        if (dotHeader != null) {
            r.headers().add(new RecordHeader(ChangesLog.DOT_HEADER, dotHeader.getBytes(StandardCharsets.US_ASCII)));
        }
        return r;
    }

    @Test
    void theCounterFloorComesFromTheDotHeaderOfTheWritersOwnRecords() {
        ConsumerRecord<String, byte[]> r = record(null);
        r.headers().add(ChangesLog.dotHeader("us-east", 202));

        assertThat(ChangesLog.ownCounter(r, "us-east")).isEqualTo(202);
        assertThat(ChangesLog.ownCounter(r, "eu-west")).isEqualTo(-1);
        assertThat(ChangesLog.ownCounter(record(null), "us-east")).isEqualTo(-1);
        assertThat(ChangesLog.ownCounter(record("us-east:x"), "us-east")).isEqualTo(-1);
        assertThat(ChangesLog.ownCounter(record("a:b:9"), "a:b")).isEqualTo(9);
    }

    @Test
    void registryFailuresAreNeverSkippedButAMalformedRecordIs() {
        assertThat(UnreadYet.isRegistryFailure(new SchemaRegistryUnavailableException("registry down", null))).isTrue();
        assertThat(UnreadYet.isRegistryFailure(new UnknownSchemaIdException(12, "unknown id 12", null))).isTrue();
        assertThat(UnreadYet.isRegistryFailure(new MalformedPayloadException("not the wire format", null))).isFalse();
        assertThat(new UnreadYet(record(null), new SchemaRegistryUnavailableException("registry down", null)))
                .hasMessage("changes-0@7 cannot be read yet (registry down); not skipped: the writer waits until it can read it");
    }
}
