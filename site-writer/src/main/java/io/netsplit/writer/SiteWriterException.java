package io.netsplit.writer;

/**
 * A write or read that the site-writer refused or could not answer, with the HTTP status (0 when the writer could
 * not be reached at all), the API's error code and its one-line message. Subclasses name the cases callers handle.
 */
public class SiteWriterException extends RuntimeException {

    private final int status;
    private final String error;

    public SiteWriterException(int status, String error, String message, Throwable cause) {
        super("HTTP " + status + " " + error + ": " + message, cause);
        this.status = status;
        this.error = error;
    }

    /** The HTTP status; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The API's error code, e.g. {@code invalid_json}, {@code precondition_failed}, {@code unavailable}. */
    public String error() {
        return error;
    }

    /** 400, 405, 413, 415, 422: the request is wrong; retrying it unchanged fails the same way. */
    public static final class InvalidRequest extends SiteWriterException {
        public InvalidRequest(int status, String error, String message) {
            super(status, error, message, null);
        }
    }

    /** 401: the writer requires a bearer token and none (or a wrong one) was sent. */
    public static final class Unauthorized extends SiteWriterException {
        public Unauthorized(String error, String message) {
            super(401, error, message, null);
        }
    }

    /** 404: the site's converged view has no such key. */
    public static final class NotFound extends SiteWriterException {
        public NotFound(String error, String message) {
            super(404, error, message, null);
        }
    }

    /** 412: If-Match did not hold; nothing was written. */
    public static final class PreconditionFailed extends SiteWriterException {
        public PreconditionFailed(String error, String message) {
            super(412, error, message, null);
        }
    }

    /**
     * 503 (Kafka unreachable, writer fenced or overloaded) or no answer at all (status 0). Retry after
     * {@link #retryAfterSeconds()}, with the same Idempotency-Key if the message says the outcome is unknown.
     */
    public static final class Unavailable extends SiteWriterException {
        private final int retryAfterSeconds;

        public Unavailable(int status, String error, String message, int retryAfterSeconds, Throwable cause) {
            super(status, error, message, cause);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** The Retry-After the writer sent, or 1 when it sent none. */
        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
