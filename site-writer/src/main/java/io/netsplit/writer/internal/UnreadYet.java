package io.netsplit.writer.internal;

import io.netsplit.schemas.serde.SchemaRegistryUnavailableException;
import io.netsplit.schemas.serde.UnknownSchemaIdException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record the writer must read but cannot yet: its schema is not cached and the registry is
 * unreachable, or the registry does not know the record's schema id. Recovery never skips such a
 * record (a skipped record of our own could hide a dot we minted, and a reused dot loses everywhere):
 * the read stops before it, and the writer retries from the same position.
 */
final class UnreadYet extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnreadYet(ConsumerRecord<?, ?> r, RuntimeException cause) {
        super(r.topic() + "-" + r.partition() + "@" + r.offset() + " cannot be read yet (" + cause.getMessage()
                + "); not skipped: the writer waits until it can read it", cause);
    }

    /** True for a failure that only the registry coming back (or learning the schema) can cure. */
    static boolean isRegistryFailure(RuntimeException e) {
        return e instanceof SchemaRegistryUnavailableException || e instanceof UnknownSchemaIdException;
    }
}
