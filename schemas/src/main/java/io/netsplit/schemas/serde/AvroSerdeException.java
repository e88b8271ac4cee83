package io.netsplit.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every failure of the netsplit Avro serde. It is a Kafka {@link SerializationException}, so producers,
 * consumers and the Streams dead-letter handler treat it as a record that cannot be (de)serialized.
 */
public class AvroSerdeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /** A failure with a one-line message and its cause (may be null). */
    public AvroSerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
