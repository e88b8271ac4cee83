package io.netsplit.reconcile.internal;

import io.netsplit.schemas.AuditEvent;
import io.netsplit.schemas.ConvergedRecord;

/** What the merge processor emits for one input record; the topology routes each kind to its topic. */
public sealed interface Outcome {

    /** A new converged state of a key, for the compacted {@code converged} topic. */
    record Converged(ConvergedRecord record) implements Outcome {
    }

    /** One decision with the site's sequence number, for {@code audit}. */
    record Audit(AuditEvent event) implements Outcome {
    }

    /** The input record's original bytes, for the dead-letter topic (the reason travels in headers). */
    record DeadLetter(byte[] value) implements Outcome {
    }
}
