package io.netsplit.writer.internal;

/**
 * A request the API refuses before minting: the HTTP status, a stable error code and a one-line message that never
 * quotes user values.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String error;

    public ApiError(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
