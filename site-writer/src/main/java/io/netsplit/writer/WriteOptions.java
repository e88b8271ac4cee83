package io.netsplit.writer;

/**
 * Per-write options of {@link SiteWriterClient}: an {@code Idempotency-Key} (retries with it return the original
 * result and write nothing twice) and an {@code If-Match} version (the write is refused with 412 unless the site's
 * view of the key is at that version). Immutable; {@code WriteOptions.none().idempotencyKey("k").ifMatch(7)}.
 *
 * @param idempotencyKey the Idempotency-Key header, or null
 * @param ifMatch        the expected version for If-Match, or null; 0 means "the key must not exist yet"
 */
public record WriteOptions(String idempotencyKey, Long ifMatch) {

    private static final WriteOptions NONE = new WriteOptions(null, null);

    public static WriteOptions none() {
        return NONE;
    }

    public WriteOptions idempotencyKey(String key) {
        return new WriteOptions(key, ifMatch);
    }

    public WriteOptions ifMatch(long version) {
        return new WriteOptions(idempotencyKey, version);
    }
}
