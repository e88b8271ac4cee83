package io.netsplit.schemas.registry;

/**
 * A schema registry answered a request with an error, or its answer could not be understood.
 *
 * <p>The message names the registry, the request and, verbatim, the registry's {@code message}, e.g.
 * {@code schema registry at http://host:8081 rejected POST /subjects/orders-value/versions: HTTP 409
 * (error_code 409): Schema being registered is incompatible with an earlier schema ...}.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Confluent error code: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: schema not found (by id, or under a subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: subject has no subject-level compatibility configured. */
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Confluent error code: invalid schema. */
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;

    /**
     * @param message         the full one-line message
     * @param httpStatus      the HTTP status, or -1 when there was no HTTP answer
     * @param errorCode       the registry's {@code error_code}, or -1 when it gave none
     * @param registryMessage the registry's {@code message} verbatim, or null
     * @param cause           the underlying failure, or null
     */
    public SchemaRegistryException(String message, int httpStatus, int errorCode, String registryMessage, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    /** The HTTP status of the registry's answer, or -1 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or -1 when it gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's {@code message}, verbatim, or null when it gave none. */
    public String registryMessage() {
        return registryMessage;
    }

    /** True for HTTP 404: unknown subject, version or schema. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** True when the registry rejected a schema as incompatible with the subject's earlier versions (HTTP 409). */
    public boolean isIncompatible() {
        return httpStatus == 409;
    }
}
