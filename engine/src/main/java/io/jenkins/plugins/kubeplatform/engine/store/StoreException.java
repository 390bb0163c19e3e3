package io.jenkins.plugins.kubeplatform.engine.store;

/** The state could not be read or written durably; nothing was acknowledged. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
