package io.jenkins.plugins.kubeplatform.engine.core;

/** An operation could not complete; the message says what happened and what to do (CLI exit code 1). */
public class OperationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
