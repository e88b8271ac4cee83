package io.netsplit.audit.store;

/**
 * An audit record the store could not take as it is, kept so that nothing disappears silently:
 * an unreadable payload ({@code UNREADABLE}) or a record whose (deciding site, sequence) is already
 * stored with a different decision ({@code SEQUENCE_COLLISION}).
 *
 * @param kind         UNREADABLE or SEQUENCE_COLLISION
 * @param decidingSite the deciding site if known, else null
 * @param sequence     the sequence number if known, else null
 * @param detail       what was wrong (data, never a log format)
 * @param source       where the record was read
 * @param seenAtMillis when the sink saw it
 */
public record AuditAnomaly(String kind, String decidingSite, Long sequence, String detail, SourcePosition source,
                           long seenAtMillis) {

    public static final String UNREADABLE = "UNREADABLE";
    public static final String SEQUENCE_COLLISION = "SEQUENCE_COLLISION";
}
