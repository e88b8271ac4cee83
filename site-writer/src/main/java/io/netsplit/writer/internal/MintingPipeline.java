package io.netsplit.writer.internal;

import io.netsplit.schemas.Topic;
import org.apache.kafka.common.serialization.Serializer;
import io.netsplit.schemas.Topics;
import io.netsplit.kit.Backoff;
import io.netsplit.kit.Pause;
import io.netsplit.reconcile.merge.Dot;
import io.netsplit.reconcile.merge.Hlc;
import io.netsplit.schemas.ChangeEvent;
import io.netsplit.schemas.ConvergedRecord;
import io.netsplit.schemas.Operation;
import io.netsplit.writer.SiteWriterConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that mints. Write requests queue up; the thread takes them in batches, mints each one against the
 * site's converged view and its own history (earlier requests of the same batch included), sends the events in one
 * Kafka transaction, and answers the requests only after the transaction committed. Because minting happens on one
 * thread, concurrent requests for one key get distinct dots and totally ordered vectors.
 *
 * <p>States: STARTING → READY; on a Kafka failure RECOVERING (a fresh producer is initialised, which fences the old
 * one and ends its open transaction, and the changes topic is read back) → READY; FENCED when a newer writer
 * process of the site took over (terminal: this one never mints again).
 */
public final class MintingPipeline implements WriteGateway, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MintingPipeline.class);
    /** The pause before the writer tries Kafka and the registry again after a failure: 200 ms doubling to 5 s. */
    private static final Backoff RECOVERY_BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(5));

    /** Lifecycle of the pipeline. */
    public enum State { STARTING, READY, RECOVERING, FENCED, STOPPED }

    private record Pending(WriteCommand command, CompletableFuture<WriteOutcome> result, long enqueuedNanos,
                           List<Pending> followers) {
        void complete(WriteOutcome outcome) {
            result.complete(outcome);
            for (Pending f : followers) {
                f.result.complete(outcome instanceof WriteOutcome.Committed c
                        ? new WriteOutcome.Committed(c.receipt(), true) : outcome);
            }
        }
    }

    private record InFlight(Pending pending, ChangeEvent event, int status, String fingerprint) {
    }

    private final SiteWriterConfig config;
    private final String site;
    private final ConvergedTable converged;
    private final WriterMetrics metrics;
    private final BlockingQueue<Pending> queue;
    private final Topic<String, ChangeEvent> changes;
    private final Serializer<ChangeEvent> serializer;
    private final ChangesLog changesLog;
    private final CountDownLatch firstReady = new CountDownLatch(1);
    private final AtomicLong counter = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String stateReason = "starting";
    private volatile boolean stopping;
    private volatile Runnable onFenced = () -> { };
    private Thread thread;

    // confined to the minting thread
    private final Map<String, KeyHistory> histories = new HashMap<>();
    private final IdempotencyWindow idempotency;
    private Hlc clock = Hlc.zero();
    private KafkaProducer<String, byte[]> producer;
    private boolean schemaKnown;

    public MintingPipeline(SiteWriterConfig config, ConvergedTable converged, WriterMetrics metrics) {
        this.config = config;
        this.site = config.site();
        this.converged = converged;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(config.queueMaxRequests());
        this.idempotency = new IdempotencyWindow(config.idempotencyWindow(), config.idempotencyMaxKeys());
        this.changesLog = new ChangesLog(config);
        this.changes = Topics.changes(config.changesTopic(), KafkaClients.serde(config));
        this.serializer = changes.valueSerde().serializer();
        metrics.gauge("writer.dot.counter", "Highest dot counter this writer has minted or recovered", counter::get);
        metrics.gauge("writer.ready", "1 when the writer accepts writes", () -> state == State.READY ? 1 : 0);
        metrics.gauge("writer.queue.requests", "Writes waiting to be minted", queue::size);
    }

    /** Runs {@code action} once if a newer writer process fences this one. */
    public void onFenced(Runnable action) {
        this.onFenced = action;
    }

    /** Starts the minting thread and waits until it is ready; fails naming what it waited for. */
    public void start(Duration timeout) throws InterruptedException {
        thread = Thread.ofPlatform().name("minter-" + site).start(this::run);
        if (!firstReady.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("writer for site " + site + " not ready after " + timeout.toSeconds()
                    + " s: " + stateReason);
        }
        if (state == State.FENCED) {
            throw new IllegalStateException("writer for site " + site + " was fenced while starting: " + stateReason);
        }
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String stateReason() {
        return stateReason;
    }

    @Override
    public long counter() {
        return counter.get();
    }

    /** Queues a write; the future completes with its outcome. Refused at once unless READY or when the queue is full. */
    @Override
    public CompletableFuture<WriteOutcome> submit(WriteCommand command) {
        CompletableFuture<WriteOutcome> result = new CompletableFuture<>();
        State s = state;
        if (s != State.READY) {
            result.complete(WriteOutcome.unavailable(unavailableMessage(s)));
            return result;
        }
        if (!queue.offer(new Pending(command, result, System.nanoTime(), new ArrayList<>()))) {
            result.complete(WriteOutcome.unavailable("the writer is overloaded: " + queue.size() + " writes queued"));
        }
        return result;
    }

    private String unavailableMessage(State s) {
        return switch (s) {
            case FENCED -> "this writer was fenced by a newer writer process for site " + site + "; nothing written";
            case STOPPED -> "the writer is stopping; nothing written";
            default -> "Kafka is unreachable (" + stateReason + "); nothing written";
        };
    }

    // ---- the minting thread ----------------------------------------------------------------

    private void run() {
        Backoff.Attempts retry = RECOVERY_BACKOFF.attempts();
        while (!stopping) {
            try {
                if (state == State.FENCED) {
                    drainRefusing();
                    continue;
                }
                if (state != State.READY) {
                    recover();
                    retry.reset();
                    continue;
                }
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, config.batchMaxRecords() - 1);
                process(batch);
            } catch (ProducerFencedException e) {
                fenced(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                stateReason = oneLine(e);
                if (state == State.READY) {
                    state = State.RECOVERING;
                }
                Duration backoff = retry.next();
                log.warn("writer for site {} not ready (Kafka or the registry), retrying in {} ms: {}", site,
                        backoff.toMillis(), stateReason);
                closeProducer();
                refuseQueued();
                if (!Pause.sleep(backoff)) {
                    break;
                }
            }
        }
        refuseQueued();
    }

    /** (Re)initialises the transactional producer and reads the changes topic back; READY afterwards. */
    private void recover() {
        if (state != State.STARTING) {
            state = State.RECOVERING;
        }
        closeProducer();
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(config));
        try {
            // fences any older producer of this site and completes or aborts its open transaction
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        producer = p;
        long recovered = changesLog.catchUp(this::recovered, config.startupTimeout());
        counter.accumulateAndGet(recovered, Math::max);
        if (!schemaKnown) {
            // registers (or finds) the ChangeEvent schema now, so a write never waits for the registry first
            serializer.serialize(config.changesTopic(), sampleEvent());
            schemaKnown = true;
        }
        awaitConvergedLoaded();
        // the site's converged vectors name our dots too: a second floor, should the changes topic have been lost
        counter.accumulateAndGet(converged.maxCounter(site), Math::max);
        state = State.READY;
        stateReason = "ready";
        log.info("writer for site {} ready: dot counter at {}, {} keys with history", site, counter.get(),
                histories.size());
        firstReady.countDown();
    }

    private void awaitConvergedLoaded() {
        try {
            if (!converged.awaitLoaded(config.startupTimeout())) {
                throw new TimeoutException("the converged view did not load in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /** A committed event read back from the changes topic: rebuilds history, idempotency window and clock. */
    private void recovered(ChangeEvent event, int status, String fingerprint) {
        if (!site.equals(event.getOriginSite()) || !site.equals(event.getDot().getSite())) {
            return;
        }
        long c = event.getDot().getCounter();
        KeyHistory h = histories.getOrDefault(event.getKey(), KeyHistory.EMPTY);
        if (h.vector().get(site) < c) {
            histories.put(event.getKey(), h.after(Minting.ownWriteOf(event), Vectors.fromAvro(event.getVersionVector()),
                    event.getVersion()));
        }
        idempotency.remember(WriteReceipt.of(event, status, fingerprint), System.currentTimeMillis());
        clock = clock.max(Vectors.fromAvro(event.getHlc()));
    }

    private void process(List<Pending> batch) {
        long now = System.currentTimeMillis();
        long staleNanos = System.nanoTime() - config.requestTimeout().toNanos();
        Map<String, KeyHistory> staged = new HashMap<>();
        Map<String, Pending> stagedIdempotency = new HashMap<>();
        List<InFlight> sent = new ArrayList<>();
        boolean began = false;
        boolean committing = false;
        try {
            for (Pending p : batch) {
                WriteCommand cmd = p.command();
                // only a write with an Idempotency-Key is ever compared with another request
                String fingerprint = cmd.idempotencyKey() == null ? null : cmd.fingerprint();
                if (p.enqueuedNanos() < staleNanos) {
                    p.complete(WriteOutcome.unavailable("the write waited too long to be minted; nothing written"));
                    continue;
                }
                if (cmd.idempotencyKey() != null) {
                    WriteReceipt earlier = idempotency.find(cmd.idempotencyKey(), now);
                    if (earlier != null) {
                        p.complete(earlier.answers(cmd) ? new WriteOutcome.Committed(earlier, true) : idempotencyConflict());
                        continue;
                    }
                    Pending leader = stagedIdempotency.get(cmd.idempotencyKey());
                    if (leader != null) {
                        if (fingerprint.equals(leader.command().fingerprint())) {
                            leader.followers().add(p);
                        } else {
                            p.complete(idempotencyConflict());
                        }
                        continue;
                    }
                }
                ConvergedRecord conv = converged.get(cmd.key());
                KeyHistory history = staged.containsKey(cmd.key()) ? staged.get(cmd.key()) : histories.get(cmd.key());
                if (history != null && conv != null) {
                    history = history.confirmedUpTo(Vectors.fromAvro(conv.getVersionVector()).get(site));
                }
                WriterView view = WriterView.of(site, conv, history);
                if (!Minting.preconditionHolds(cmd.precondition(), view)) {
                    p.complete(new WriteOutcome.Refused(412, "precondition_failed", "the precondition does not hold: "
                            + (view.exists() ? "the site's state of the key has ETag \"" + view.etag() + "\""
                            : "the key does not exist at this site") + "; nothing written", false));
                    continue;
                }
                // the counter only ever grows: a dot of a failed write is burned, never handed out again
                Dot dot = new Dot(site, counter.incrementAndGet());
                Hlc hlc = Minting.nextHlc(clock, view, now);
                clock = hlc;
                Minting.Minted minted = Minting.mint(site, cmd, view, dot, hlc, now);
                byte[] value;
                try {
                    value = serializer.serialize(config.changesTopic(), minted.event());
                } catch (RuntimeException e) {
                    p.complete(WriteOutcome.unavailable("cannot encode the event: " + oneLine(e) + "; nothing written"));
                    continue;
                }
                if (value.length > config.maxEventBytes()) {
                    // refused here, as a reconciler would refuse it downstream after the acknowledgement
                    p.complete(new WriteOutcome.Refused(413, "event_too_large", "the change event (the key's full state "
                            + "after this write) would be " + value.length + " bytes; the limit is " + config.maxEventBytes()
                            + " (" + SiteWriterConfig.MAX_EVENT_BYTES + "); nothing written", false));
                    continue;
                }
                if (!began) {
                    producer.beginTransaction();
                    began = true;
                }
                int status = cmd.op() == Operation.DELETE || view.exists() ? 200 : 201;
                List<org.apache.kafka.common.header.Header> headers = new ArrayList<>(List.of(
                        new RecordHeader(ChangesLog.STATUS_HEADER, Integer.toString(status).getBytes(StandardCharsets.US_ASCII)),
                        ChangesLog.dotHeader(site, dot.counter())));
                if (fingerprint != null) {
                    headers.add(new RecordHeader(ChangesLog.REQUEST_HEADER, fingerprint.getBytes(StandardCharsets.US_ASCII)));
                }
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.changesTopic(), null, cmd.key(),
                        value, headers);
                producer.send(record);
                staged.put(cmd.key(), (history == null ? KeyHistory.EMPTY : history)
                        .after(minted.own(), minted.vector(), minted.event().getVersion()));
                if (cmd.idempotencyKey() != null) {
                    stagedIdempotency.put(cmd.idempotencyKey(), p);
                }
                sent.add(new InFlight(p, minted.event(), status, fingerprint));
            }
            if (began) {
                committing = true;
                producer.commitTransaction();
            }
        } catch (ProducerFencedException e) {
            refuse(sent, "this writer was fenced by a newer writer process for site " + site + "; nothing written");
            refuseUnanswered(batch, "this writer was fenced by a newer writer process for site " + site);
            throw e;
        } catch (KafkaException e) {
            try {
                failed(sent, e, began, committing);
            } finally {
                refuseUnanswered(batch, "Kafka did not accept the batch (" + oneLine(e) + ")");
            }
            return;
        } catch (RuntimeException e) {
            // e.g. IllegalStateException from a producer in an unexpected state: start over with a fresh one
            refuse(sent, "the writer failed (" + oneLine(e) + "); the write may or may not be stored: retry with "
                    + "the same Idempotency-Key");
            refuseUnanswered(batch, "the writer failed (" + oneLine(e) + ")");
            toRecovering(oneLine(e));
            return;
        }
        histories.putAll(staged);
        for (InFlight f : sent) {
            WriteReceipt receipt = WriteReceipt.of(f.event(), f.status(), f.fingerprint());
            idempotency.remember(receipt, now);
            f.pending().complete(new WriteOutcome.Committed(receipt, false));
        }
        if (!sent.isEmpty()) {
            metrics.batch(sent.size());
        }
    }

    /** A transaction that did not commit (or may not have): answer 503 and get back to a known state. */
    private void failed(List<InFlight> sent, KafkaException e, boolean began, boolean committing) {
        if (causedByFencing(e)) {
            refuse(sent, "this writer was fenced by a newer writer process for site " + site + "; nothing written");
            throw new ProducerFencedException(oneLine(e));
        }
        String reason = oneLine(e);
        boolean unknown = committing && (e instanceof TimeoutException || e instanceof InterruptException);
        if (unknown) {
            // the commit may still complete: only a fresh producer (initTransactions) settles it either way
            refuse(sent, "Kafka did not confirm the commit in time (" + reason + "); the write may or may not be "
                    + "stored: retry with the same Idempotency-Key");
            toRecovering(reason);
            return;
        }
        refuse(sent, "Kafka did not accept the write (" + reason + "); nothing written");
        if (causedBy(e, TimeoutException.class)) {
            // Kafka unreachable: the open transaction can never commit, and the fresh producer of the recovery
            // aborts it; until then, every write is refused at once
            toRecovering(reason);
            return;
        }
        // the broker answered: aborting tells us whether we were fenced (PRODUCER_FENCED), else clears the error
        if (began) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ae) {
                if (causedByFencing(ae)) {
                    throw new ProducerFencedException(oneLine(ae));
                }
                toRecovering(oneLine(ae));
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedByFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException) {
                return true;
            }
        }
        return false;
    }

    private void toRecovering(String reason) {
        log.warn("writer for site {} lost Kafka, recovering: {}", site, reason);
        stateReason = reason;
        state = State.RECOVERING;
        closeProducer();
        refuseQueued();
    }

    private void fenced(ProducerFencedException e) {
        stateReason = "fenced by a newer writer process with transactional.id " + config.transactionalId();
        state = State.FENCED;
        log.error("writer for site {} stops minting: {}", site, stateReason);
        closeProducer();
        refuseQueued();
        firstReady.countDown();
        try {
            onFenced.run();
        } catch (RuntimeException re) {
            log.warn("fencing handler failed: {}", re.toString());
        }
    }

    private void refuse(List<InFlight> sent, String message) {
        for (InFlight f : sent) {
            f.pending().complete(WriteOutcome.unavailable(message));
        }
    }

    /** Requests of a failed batch that were never sent (nor answered): nothing of them was written. */
    private static void refuseUnanswered(List<Pending> batch, String why) {
        for (Pending p : batch) {
            if (!p.result().isDone()) {
                p.complete(WriteOutcome.unavailable(why + "; nothing written"));
            }
        }
    }

    private void refuseQueued() {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.complete(WriteOutcome.unavailable(unavailableMessage(state)));
        }
    }

    private void drainRefusing() throws InterruptedException {
        Pending p = queue.poll(200, TimeUnit.MILLISECONDS);
        if (p != null) {
            p.complete(WriteOutcome.unavailable(unavailableMessage(state)));
        }
    }

    private static WriteOutcome.Refused idempotencyConflict() {
        return new WriteOutcome.Refused(422, "idempotency_key_reused", "this Idempotency-Key was used for a "
                + "different request (another key, operation, body or precondition); nothing written", false);
    }

    private ChangeEvent sampleEvent() {
        return Minting.mint(site, new WriteCommand("schema-probe", Operation.UPSERT, Map.of(), null, null),
                WriterView.of(site, null, null), new Dot(site, 1), Hlc.zero(), 0).event();
    }

    private void closeProducer() {
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.debug("closing producer: {}", e.toString());
            }
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public void close() {
        stopping = true;
        State previous = state;
        state = State.STOPPED;
        if (thread != null) {
            try {
                // let a transaction in progress commit and be answered; then stop waiting
                thread.join(config.kafkaTimeout().toMillis() * 2 + 1_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (previous != State.FENCED) {
            closeProducer();
        }
        refuseQueued();
        changesLog.close();
        changes.close();
    }
}
