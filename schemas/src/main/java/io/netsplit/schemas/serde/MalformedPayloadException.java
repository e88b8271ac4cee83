package io.netsplit.schemas.serde;

/**
 * The bytes are not a Confluent-wire-format Avro record: empty or too short for the header, an unknown magic
 * byte, or an Avro body that is truncated, corrupt or followed by stray bytes.
 */
public class MalformedPayloadException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    /** A malformed payload with a one-line description and its cause (may be null). */
    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
