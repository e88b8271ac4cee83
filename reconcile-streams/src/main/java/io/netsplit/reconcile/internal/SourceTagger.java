package io.netsplit.reconcile.internal;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * The ingest stage: stamps each input record with where it came from (topic, partition, offset) on its
 * way into the site's ordered log, so that the merge can name the source in dead-letter headers and
 * a replay of the log still knows it. Bytes pass through untouched.
 */
public final class SourceTagger implements FixedKeyProcessor<byte[], byte[], byte[]> {

    /** Header: the input topic the record was read from. */
    public static final String SOURCE_TOPIC = "netsplit.source.topic";
    /** Header: the input partition. */
    public static final String SOURCE_PARTITION = "netsplit.source.partition";
    /** Header: the input offset. */
    public static final String SOURCE_OFFSET = "netsplit.source.offset";

    private FixedKeyProcessorContext<byte[], byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        RecordMetadata m = context.recordMetadata().orElseThrow();
        Headers h = new RecordHeaders(record.headers().toArray());
        h.remove(SOURCE_TOPIC).remove(SOURCE_PARTITION).remove(SOURCE_OFFSET);
        h.add(SOURCE_TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
        h.add(SOURCE_PARTITION, Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
        h.add(SOURCE_OFFSET, Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
        context.forward(record.withHeaders(h));
    }
}
