package io.netsplit.schemas.registry;

/**
 * The registry could not be reached, or kept failing with 5xx answers, for every one of the configured attempts.
 * The message reads {@code schema registry at <url> unreachable after <n> attempts: <last failure>}.
 */
public class SchemaRegistryUnreachableException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    /**
     * @param message    the full one-line message
     * @param attempts   how many attempts were made
     * @param httpStatus the status of the last answer if it was a 5xx, else -1
     * @param errorCode  the registry's error code in the last answer, else -1
     * @param cause      the last failure, or null
     */
    public SchemaRegistryUnreachableException(String message, int attempts, int httpStatus, int errorCode, Throwable cause) {
        super(message, httpStatus, errorCode, null, cause);
        this.attempts = attempts;
    }

    /** How many attempts were made before giving up. */
    public int attempts() {
        return attempts;
    }
}
