package io.netsplit.audit.store;

/** The audit store failed: it cannot be opened, a statement failed, or its data is corrupt. */
public class AuditStoreException extends RuntimeException {

    public AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
