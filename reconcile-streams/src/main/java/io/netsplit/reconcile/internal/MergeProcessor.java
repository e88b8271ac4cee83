package io.netsplit.reconcile.internal;

import io.netsplit.schemas.Topics;
import io.netsplit.schemas.Topic;
import io.netsplit.kit.Backoff;
import io.netsplit.kit.Pause;
import io.netsplit.reconcile.DeadLetters;
import io.netsplit.reconcile.ReconcileConfig;
import io.netsplit.reconcile.merge.Change;
import io.netsplit.reconcile.merge.ConflictState;
import io.netsplit.reconcile.merge.ConvergedView;
import io.netsplit.reconcile.merge.Decision;
import io.netsplit.reconcile.merge.Merge;
import io.netsplit.reconcile.merge.MergeState;
import io.netsplit.reconcile.merge.MergeStateCodec;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.serde.SchemaRegistryUnavailableException;
import io.netsplit.schemas.serde.UnknownSchemaIdException;
import io.netsplit.schemas.serde.WireFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The thin Kafka Streams adapter around the merge core: reads one record of the ordered log (bytes),
 * deserializes and checks it inside the transaction, applies it to the key's {@link MergeState} in the
 * state store, and emits the decisions (audit, numbered), the new converged record if the converged
 * value, vector or conflict state changed, or the record to the dead-letter topic with the reason.
 * Counters, digest, frontier and the audit sequence live in the summary store, so they commit with
 * everything else.
 */
public final class MergeProcessor implements Processor<byte[], byte[], byte[], Outcome> {

    private static final Logger log = LoggerFactory.getLogger(MergeProcessor.class);

    /** The one key of the summary store. */
    public static final String SUMMARY_KEY = "site";

    /** Dead-letter header: why the record was rejected (one line). */
    public static final String DLQ_REASON = DeadLetters.DLQ_REASON;
    /** Dead-letter header: the input topic the record came from. */
    public static final String DLQ_SOURCE_TOPIC = DeadLetters.DLQ_SOURCE_TOPIC;
    /** Dead-letter header: the input partition. */
    public static final String DLQ_SOURCE_PARTITION = DeadLetters.DLQ_SOURCE_PARTITION;
    /** Dead-letter header: the input offset. */
    public static final String DLQ_SOURCE_OFFSET = DeadLetters.DLQ_SOURCE_OFFSET;
    /** Dead-letter header: the site whose reconciler rejected it. */
    public static final String DLQ_SITE = DeadLetters.DLQ_SITE;

    private static final int READ_ATTEMPTS = 3;

    /** The backoff between look-ups of a schema id the registry does not know (yet). */
    static final Backoff UNKNOWN_SCHEMA_BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));

    private final ReconcileConfig config;
    private final String stateStoreName;
    private final String summaryStoreName;
    private final Merge merge;
    private ProcessorContext<byte[], Outcome> context;
    private KeyValueStore<String, byte[]> states;
    private KeyValueStore<String, byte[]> summaries;
    private Topic<String, ChangeEvent> changes;
    private Deserializer<ChangeEvent> deserializer;
    private SiteSummary.Builder summary;
    /** Schema ids that stayed unknown through a whole retry budget: looked up once more, not waited for again. */
    private final Set<Integer> exhaustedSchemaIds = new HashSet<>();

    public MergeProcessor(ReconcileConfig config, String stateStoreName, String summaryStoreName) {
        this.config = config;
        this.stateStoreName = stateStoreName;
        this.summaryStoreName = summaryStoreName;
        this.merge = new Merge(config.mergeConfig());
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        this.states = context.getStateStore(stateStoreName);
        this.summaries = context.getStateStore(summaryStoreName);
        this.changes = Topics.changes(config.topics().changes(), Topics.registry(config.registryUrl()));
        this.deserializer = changes.valueSerde().deserializer();
        byte[] stored = summaries.get(SUMMARY_KEY);
        this.summary = (stored == null ? SiteSummary.empty() : SiteSummary.decode(stored)).toBuilder();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata position = context.recordMetadata().orElse(null);
        if (position != null && position.offset() >= config.logEndOffset()) {
            return; // a replay stops where the log ended when it was called
        }
        if (record.value() == null) {
            deadLetter(record, "null value (tombstone): a change event is never null");
            return;
        }
        ReconcileConfig.Guards guards = config.guards();
        if (record.value().length > guards.maxEventBytes()) {
            deadLetter(record, "event of " + record.value().length + " bytes exceeds reconcile.max.event.bytes ("
                    + guards.maxEventBytes() + ")");
            return;
        }
        ChangeEvent event;
        try {
            String topic = header(record.headers(), SourceTagger.SOURCE_TOPIC);
            event = read(topic != null ? topic : position != null ? position.topic() : "?", record.value());
        } catch (SerializationException e) {
            deadLetter(record, "cannot deserialize: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        String recordKey;
        try {
            recordKey = record.key() == null ? null : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(record.key())).toString();
        } catch (CharacterCodingException e) {
            deadLetter(record, "record key is not UTF-8");
            return;
        }
        if (event.getVersionVector() != null && event.getVersionVector().size() > guards.maxVectorSites()) {
            deadLetter(record, "version vector names " + event.getVersionVector().size()
                    + " sites, more than reconcile.max.vector.sites (" + guards.maxVectorSites() + ")");
            return;
        }
        Change change;
        try {
            change = AvroMapping.toChange(recordKey, event, guards.maxKeyBytes());
        } catch (AvroMapping.InvalidChange e) {
            deadLetter(record, "invariant violated: " + e.getMessage());
            return;
        }
        apply(record, change);
    }

    /**
     * Merges one change. A key whose stored state cannot be read, or whose state would outgrow
     * {@code reconcile.max.state.bytes}, has the event quarantined: dead-lettered with the reason, the
     * state and the outputs untouched. Failing instead would fail the task on the same record after
     * every restart of the thread, and stop every other key with it.
     */
    private void apply(Record<byte[], byte[]> record, Change change) {
        String key = change.key();
        byte[] stored = states.get(key);
        MergeState state;
        try {
            state = stored == null ? MergeState.empty(key) : MergeStateCodec.decode(stored);
        } catch (RuntimeException e) {
            deadLetter(record, "quarantined: the stored merge state of key '" + key + "' cannot be read (" + e.getMessage()
                    + "); the event is set aside and the state left as it is");
            return;
        }
        Merge.Applied applied = merge.apply(state, change);
        MergeState next = applied.state();
        byte[] encoded = next != state ? MergeStateCodec.encode(next) : null;
        if (encoded != null && encoded.length > config.guards().maxStateBytes()) {
            deadLetter(record, "quarantined: merging it would make the state of key '" + key + "' " + encoded.length
                    + " bytes, more than reconcile.max.state.bytes (" + config.guards().maxStateBytes()
                    + "); the event is set aside and the state left as it is");
            return;
        }
        summary.compared++;
        long now = context.currentSystemTimeMs();
        String lastDecision = null;
        for (Decision d : applied.decisions()) {
            count(d);
            summary.sequence++;
            lastDecision = d.id();
            context.forward(new Record<>(utf8(key), new Outcome.Audit(AvroMapping.toAudit(d, config.site(), summary.sequence, now)),
                    now, new RecordHeaders()));
        }
        if (encoded != null) { // the merge returns the same instance when nothing changed
            states.put(key, encoded);
            ConvergedView before = state.isEmpty() ? null : merge.converged(state);
            ConvergedView after = merge.converged(next);
            if (!after.equals(before)) {
                summary.applied++;
                if (before != null) {
                    summary.minus(before.entryDigest());
                    if (before.conflict() == ConflictState.PENDING) {
                        summary.pending--;
                    }
                }
                summary.plus(after.entryDigest());
                if (after.conflict() == ConflictState.PENDING) {
                    summary.pending++;
                }
                summary.frontier = summary.frontier.join(after.vector());
                context.forward(new Record<>(utf8(key),
                        new Outcome.Converged(AvroMapping.toConverged(after, next, config.site(), lastDecision)), now,
                        new RecordHeaders()));
            }
        }
        saveSummary();
    }

    private void count(Decision d) {
        switch (d.kind()) {
            case CONCURRENT_UPDATE, DELETE_VS_UPDATE -> {
                summary.conflicts++;
                if (!d.pending()) {
                    summary.merged++;
                }
            }
            case MANUAL_RESOLUTION -> summary.manualResolutions++;
            case STALE -> summary.stale++;
            case DUPLICATE -> summary.duplicates++;
            case REJECTED -> summary.rejected++;
        }
    }

    /**
     * Deserializes. A schema id the registry does not know may be a registry that has not caught up: it is looked up
     * again on the {@link #UNKNOWN_SCHEMA_BACKOFF} schedule for at most {@code reconcile.unknown.schema.retry.ms} of
     * pauses, blocking the merge (no later record of the ordered log overtakes it), then dead-lettered saying the
     * retries were exhausted. An id that already exhausted its retries in this task is looked up once, not waited for.
     * The number of look-ups depends only on the configuration, not on how long each took.
     */
    private ChangeEvent read(String topic, byte[] value) {
        Backoff.Attempts unknown = UNKNOWN_SCHEMA_BACKOFF.attempts();
        long paused = 0;
        while (true) {
            try {
                ChangeEvent e = readOnce(topic, value);
                if (!exhaustedSchemaIds.isEmpty()) {
                    exhaustedSchemaIds.remove(WireFormat.schemaId(value)); // registered since: waited for again next time
                }
                return e;
            } catch (UnknownSchemaIdException e) {
                Duration next = unknown.peek();
                boolean exhausted = exhaustedSchemaIds.contains(e.schemaId());
                if (exhausted || paused + next.toMillis() > config.unknownSchemaRetryMs()) {
                    exhaustedSchemaIds.add(e.schemaId());
                    int lookups = unknown.failures() + 1;
                    throw new SerializationException("retries exhausted: " + e.getMessage() + " (" + lookups + " look-up"
                            + (lookups == 1 ? "" : "s") + (exhausted ? "; this id already exhausted its retries in this task"
                            : " over " + paused + " ms of pauses, " + ReconcileConfig.UNKNOWN_SCHEMA_RETRY_MS + "="
                            + config.unknownSchemaRetryMs()) + ")", e);
                }
                summary.retried++;
                log.warn("unknown schema id {} (look-up {}); retrying in {} ms: the registry may not have caught up",
                        e.schemaId(), unknown.failures() + 1, next.toMillis());
                if (!Pause.sleep(unknown.next())) {
                    throw new StreamsException("interrupted while retrying an unknown schema id");
                }
                paused += next.toMillis();
            }
        }
    }

    /** One deserialization; a registry that cannot be reached is retried, then fails the task (never a DLQ). */
    private ChangeEvent readOnce(String topic, byte[] value) {
        for (int attempt = 1; ; attempt++) {
            try {
                ChangeEvent e = deserializer.deserialize(topic, value);
                if (e == null) {
                    throw new SerializationException("deserialized to null");
                }
                return e;
            } catch (SchemaRegistryUnavailableException e) {
                summary.retried++;
                if (attempt >= READ_ATTEMPTS) {
                    saveSummary();
                    throw new StreamsException("schema registry unavailable after " + attempt + " attempts; the record will be retried after a restart of the task", e);
                }
                log.warn("schema registry unavailable (attempt {} of {}); retrying: {}", attempt, READ_ATTEMPTS, e.getMessage());
                if (!Pause.sleep(500L * attempt)) {
                    throw new StreamsException("interrupted while retrying the registry");
                }
            } catch (RuntimeException e) {
                if (e instanceof SerializationException se) {
                    throw se;
                }
                // Avro decoding bugs surface as other runtime exceptions: the record is unreadable either way
                throw new SerializationException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason) {
        Source source = source(record);
        summary.deadLettered++;
        saveSummary();
        log.warn("dead-lettered record from {}-{}@{}: {}", source.topic, source.partition, source.offset, reason);
        Headers h = new RecordHeaders(record.headers().toArray());
        h.add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        h.add(DLQ_SOURCE_TOPIC, source.topic.getBytes(StandardCharsets.UTF_8));
        h.add(DLQ_SOURCE_PARTITION, Integer.toString(source.partition).getBytes(StandardCharsets.UTF_8));
        h.add(DLQ_SOURCE_OFFSET, Long.toString(source.offset).getBytes(StandardCharsets.UTF_8));
        h.add(DLQ_SITE, config.site().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), new Outcome.DeadLetter(record.value()), record.timestamp(), h));
    }

    private void saveSummary() {
        summaries.put(SUMMARY_KEY, summary.encode());
    }

    private record Source(String topic, int partition, long offset) {
    }

    /** The original input position, from the ingest stage's headers; else this record's own. */
    private Source source(Record<byte[], byte[]> record) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        String topic = header(record.headers(), SourceTagger.SOURCE_TOPIC);
        String partition = header(record.headers(), SourceTagger.SOURCE_PARTITION);
        String offset = header(record.headers(), SourceTagger.SOURCE_OFFSET);
        try {
            if (topic != null && partition != null && offset != null) {
                return new Source(topic, Integer.parseInt(partition), Long.parseLong(offset));
            }
        } catch (NumberFormatException e) {
            // fall through to the log's own position
        }
        return m == null ? new Source("?", -1, -1) : new Source(m.topic(), m.partition(), m.offset());
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (changes != null) {
            changes.close();
        }
    }
}
