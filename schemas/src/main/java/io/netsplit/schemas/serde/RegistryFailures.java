package io.netsplit.schemas.serde;

import io.netsplit.schemas.registry.SchemaRegistryException;
import io.netsplit.schemas.registry.SchemaRegistryUnreachableException;

/** Turns registry client failures into the serde's {@link AvroSerdeException}s, keeping their messages. */
final class RegistryFailures {

    private RegistryFailures() {
    }

    /** The serde exception for a failed registry call; {@code context} says what the serde was doing. */
    static AvroSerdeException translate(SchemaRegistryException e, String context) {
        String message = e.getMessage() + " (" + context + ")";
        if (e instanceof SchemaRegistryUnreachableException) {
            return new SchemaRegistryUnavailableException(message, e);
        }
        if (e.isIncompatible()) {
            return new IncompatibleSchemaException(message, e);
        }
        return new AvroSerdeException(message, e);
    }
}
