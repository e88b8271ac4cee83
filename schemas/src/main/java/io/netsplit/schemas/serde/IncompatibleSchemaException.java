package io.netsplit.schemas.serde;

/**
 * Schemas do not fit together: the registry rejected a schema as incompatible with the subject's earlier versions
 * (HTTP 409; the registry's message is kept verbatim), or a record's writer schema cannot be resolved to the
 * reader's schema.
 */
public class IncompatibleSchemaException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    /** A one-line message and its cause (may be null). */
    public IncompatibleSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
