package io.netsplit.reconcile;

import io.netsplit.schemas.Topics;
import io.netsplit.reconcile.internal.MergeProcessor;
import io.netsplit.reconcile.internal.Outcome;
import io.netsplit.reconcile.internal.SourceTagger;
import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ConvergedRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The reconcile topology of one site, built by {@link #build(ReconcileConfig)} for {@code main}, for
 * replays and for every test.
 *
 * <pre>
 * sub-topology 0 (ingest):  changes, &lt;alias&gt;.changes (pattern, bytes) ─► tag source ─► reconcile.log (1 partition)
 * sub-topology 1 (merge):   reconcile.log ─► merge [merge-state, site-summary] ─► route ─┬─► converged
 *                                                                                     ├─► audit
 *                                                                                     └─► changes.dlq
 * </pre>
 *
 * Reads: {@code changes} and every {@code <alias>.changes}; the ordered log. Writes: the ordered log,
 * {@code converged}, {@code audit}, {@code changes.dlq}. Every node and store is named by a constant
 * below; there is no repartition topic — the ordered log is the one place every key meets its state.
 * A replay config ({@link ReconcileConfig#ingest()} false) builds the merge sub-topology only.
 */
public final class ReconcileTopology {

    /** Source: every input topic, by pattern, as bytes. */
    public static final String INPUTS_SOURCE = "reconcile-inputs";
    /** Processor: stamps the input topic, partition and offset into headers. */
    public static final String TAG_SOURCE = "reconcile-tag-source";
    /** Sink: the site's ordered log. */
    public static final String LOG_SINK = "reconcile-log-sink";
    /** Source: the ordered log, as bytes. */
    public static final String LOG_SOURCE = "reconcile-log-source";
    /** Processor: the merge adapter. */
    public static final String MERGE = "reconcile-merge";
    /** Store: entity key to its encoded {@code MergeState} (RocksDB). */
    public static final String STATE_STORE = "reconcile-merge-state";
    /** Store: the site summary (counters, audit sequence, digest, frontier) (RocksDB). */
    public static final String SUMMARY_STORE = "reconcile-site-summary";
    /** Branch prefix of the outcome router. */
    public static final String ROUTE = "reconcile-route-";
    /** Branch: converged records. */
    public static final String CONVERGED_BRANCH = "converged";
    /** Branch: audit events. */
    public static final String AUDIT_BRANCH = "audit";
    /** Branch: dead letters. */
    public static final String DLQ_BRANCH = "dlq";
    /** Processor: outcome to ConvergedRecord. */
    public static final String CONVERGED_VALUES = "reconcile-converged-values";
    /** Processor: outcome to AuditEvent. */
    public static final String AUDIT_VALUES = "reconcile-audit-values";
    /** Processor: outcome to the original bytes. */
    public static final String DLQ_VALUES = "reconcile-dlq-values";
    /** Sink: converged. */
    public static final String CONVERGED_SINK = "reconcile-converged-sink";
    /** Sink: audit. */
    public static final String AUDIT_SINK = "reconcile-audit-sink";
    /** Sink: the dead-letter topic. */
    public static final String DLQ_SINK = "reconcile-dlq-sink";

    private ReconcileTopology() {
    }

    /** The topology for one site's configuration. */
    public static Topology build(ReconcileConfig config) {
        ReconcileConfig.Topics topics = config.topics();
        // keys stay the entity key's bytes through the topology: the same bytes as the topics' UTF-8 text keys
        Map<String, Object> registry = Topics.registry(config.registryUrl());
        Serde<ConvergedRecord> convergedSerde = Topics.converged(topics.converged(), registry).valueSerde();
        Serde<AuditEvent> auditSerde = Topics.audit(topics.audit(), registry).valueSerde();
        Serde<byte[]> bytes = Serdes.ByteArray();

        StreamsBuilder builder = new StreamsBuilder();
        if (config.ingest()) {
            builder.stream(topics.inputPattern(), Consumed.with(bytes, bytes).withName(INPUTS_SOURCE))
                    .processValues(SourceTagger::new, Named.as(TAG_SOURCE))
                    .to(topics.log(), Produced.with(bytes, bytes).withName(LOG_SINK));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), bytes)
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUMMARY_STORE), Serdes.String(), bytes)
                .withCachingEnabled());

        KStream<byte[], Outcome> outcomes = builder.stream(topics.log(), Consumed.with(bytes, bytes).withName(LOG_SOURCE))
                .process(() -> new MergeProcessor(config, STATE_STORE, SUMMARY_STORE), Named.as(MERGE), STATE_STORE, SUMMARY_STORE);

        outcomes.split(Named.as(ROUTE))
                .branch((k, v) -> v instanceof Outcome.Converged, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Outcome.Converged) v).record(), Named.as(CONVERGED_VALUES))
                        .to(topics.converged(), Produced.with(bytes, convergedSerde).withName(CONVERGED_SINK)), CONVERGED_BRANCH))
                .branch((k, v) -> v instanceof Outcome.Audit, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Outcome.Audit) v).event(), Named.as(AUDIT_VALUES))
                        .to(topics.audit(), Produced.with(bytes, auditSerde).withName(AUDIT_SINK)), AUDIT_BRANCH))
                .branch((k, v) -> v instanceof Outcome.DeadLetter, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Outcome.DeadLetter) v).value(), Named.as(DLQ_VALUES))
                        .to(topics.dlq(), Produced.with(bytes, bytes).withName(DLQ_SINK)), DLQ_BRANCH))
                .noDefaultBranch();
        return builder.build();
    }
}
