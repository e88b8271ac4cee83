package io.netsplit.lab;

/** A lab failure whose message is a complete one-line explanation for the operator. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
