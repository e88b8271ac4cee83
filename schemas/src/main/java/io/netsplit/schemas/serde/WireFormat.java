package io.netsplit.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0x00}, bytes 1–4 the schema id (big-endian int),
 * then the Avro binary encoding of the record with that schema.
 */
public final class WireFormat {

    /** The only magic byte this format defines. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Length of the header: magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the header for {@code schemaId} into a new buffer of {@code HEADER_SIZE + bodyCapacity} bytes. */
    static ByteBuffer header(int schemaId, int bodyCapacity) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + bodyCapacity);
        buffer.put(MAGIC_BYTE).putInt(schemaId);
        return buffer;
    }

    /**
     * The schema id of a wire-format payload.
     *
     * @throws MalformedPayloadException when the payload is too short or its magic byte is not {@code 0x00}
     */
    public static int schemaId(byte[] payload) {
        checkHeader(payload);
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /** Checks length and magic byte; the messages are the ones a DLQ header shows. */
    static void checkHeader(byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new MalformedPayloadException("payload too short: " + payload.length + " byte"
                    + (payload.length == 1 ? "" : "s") + ", expected at least " + HEADER_SIZE
                    + " (magic byte 0x00 and a 4-byte schema id, Confluent wire format)", null);
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new MalformedPayloadException(String.format(
                    "unknown magic byte 0x%02x at offset 0, expected 0x00 (Confluent wire format)", payload[0] & 0xff), null);
        }
    }
}
