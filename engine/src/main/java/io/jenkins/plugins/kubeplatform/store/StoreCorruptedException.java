package io.jenkins.plugins.kubeplatform.store;

import java.nio.file.Path;

/** A state file exists but cannot be read back; it is left untouched for an operator to inspect. */
public final class StoreCorruptedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreCorruptedException(Path file, Throwable cause) {
        super("State file " + file + " is corrupted and was left untouched: " + cause.getMessage()
                + ". Restore it from a backup (or move it away to start empty) and retry.", cause);
    }
}
