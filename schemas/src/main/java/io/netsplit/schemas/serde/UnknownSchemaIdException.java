package io.netsplit.schemas.serde;

/** A record names a schema id the registry does not know (HTTP 404, error code 40403). */
public class UnknownSchemaIdException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    /** The unknown id, a one-line message and the registry's error. */
    public UnknownSchemaIdException(int schemaId, String message, Throwable cause) {
        super(message, cause);
        this.schemaId = schemaId;
    }

    /** The schema id the record carried. */
    public int schemaId() {
        return schemaId;
    }
}
