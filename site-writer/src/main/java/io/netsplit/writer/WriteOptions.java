package io.netsplit.writer;

/**
 * Per-write options of {@link SiteWriterClient}: an {@code Idempotency-Key} (retries with it return the original
 * result and write nothing twice; the same key with a different request is refused with 422) and a precondition
 * (the write is refused with 412 unless it holds): {@code If-Match} with the entity tag of a GET or an earlier write
 * ({@link EntityView#etag()}, {@link WriteAck#etag()}), {@code If-Match: *} (the key exists) or
 * {@code If-None-Match: *} (it does not). Immutable; {@code WriteOptions.none().idempotencyKey("k").ifMatch(ack.etag())}.
 *
 * @param idempotencyKey the Idempotency-Key header, or null
 * @param ifMatch        the If-Match header's value (a quoted entity tag, or {@code *}), or null
 * @param ifNoneMatch    the If-None-Match header's value ({@code *}), or null
 */
public record WriteOptions(String idempotencyKey, String ifMatch, String ifNoneMatch) {

    private static final WriteOptions NONE = new WriteOptions(null, null, null);

    public static WriteOptions none() {
        return NONE;
    }

    public WriteOptions idempotencyKey(String key) {
        return new WriteOptions(key, ifMatch, ifNoneMatch);
    }

    /** Write only if the site's state of the key still has this entity tag (unquoted, as {@code etag()} gives it). */
    public WriteOptions ifMatch(String etag) {
        return new WriteOptions(idempotencyKey, "\"" + etag + "\"", null);
    }

    /** Write only if the key exists at the site ({@code If-Match: *}). */
    public WriteOptions ifExists() {
        return new WriteOptions(idempotencyKey, "*", null);
    }

    /** Write only if the key does not exist at the site ({@code If-None-Match: *}). */
    public WriteOptions ifAbsent() {
        return new WriteOptions(idempotencyKey, null, "*");
    }
}
