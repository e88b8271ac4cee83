package io.netsplit.drills.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One record of a site's dead-letter topic, with what the redrive topic says about it.
 *
 * @param site          the site whose reconciler dead-lettered it
 * @param offset        its offset in {@code changes.dlq} (one partition)
 * @param timestampMs   its record timestamp
 * @param key           the record key as read (null for none)
 * @param value         the original bytes (null for a tombstone)
 * @param reason        {@code netsplit.dlq.reason}
 * @param source        {@code topic@partition:offset} it was first read from, as the reconciler named it
 * @param redrivenFrom  when this dead letter is a redriven record dead-lettered again: the offset it was redriven from
 * @param redriveOffset where it was redriven to ({@code changes.redrive} offset), or null while it was not
 * @param deadAgainAt   the dead-letter offset of its redrive when that was dead-lettered again, or null
 */
public record DeadLetter(String site, long offset, long timestampMs, byte[] key, byte[] value, String reason, String source,
                         Long redrivenFrom, Long redriveOffset, Long deadAgainAt) {

    /** {@code dead}, {@code redriven} or {@code redriven, dead again at N}. */
    public String state() {
        if (redriveOffset == null) {
            return "dead";
        }
        return deadAgainAt == null ? "redriven" : "redriven, dead again at " + deadAgainAt;
    }

    /** The key as text, or a note when it is missing or not UTF-8. */
    public String keyText() {
        if (key == null) {
            return "(no key)";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return "(" + key.length + " bytes, not UTF-8)";
        }
    }

    /** Bytes of the value; 0 for a tombstone. */
    public int size() {
        return value == null ? 0 : value.length;
    }

    /** The same dead letter, now known to have been redriven to {@code redriveOffset}. */
    DeadLetter redrivenTo(long redrive, Long deadAgain) {
        return new DeadLetter(site, offset, timestampMs, key, value, reason, source, redrivenFrom, redrive, deadAgain);
    }
}
