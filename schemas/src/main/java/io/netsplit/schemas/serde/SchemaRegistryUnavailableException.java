package io.netsplit.schemas.serde;

/**
 * The schema registry was needed (a schema not yet cached) and could not be reached within the configured
 * attempts. The message is the registry client's: {@code schema registry at <url> unreachable after <n> attempts: ...}.
 */
public class SchemaRegistryUnavailableException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    /** A one-line message and the client's failure. */
    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
