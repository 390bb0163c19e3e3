package io.jenkins.plugins.kubeplatform.engine.store;

import java.nio.file.Path;

/** A state file exists but cannot be read back; it is left untouched for an operator to inspect. */
public final class StoreCorruptedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public StoreCorruptedException(Path file, Throwable cause) {
        super("State file " + file + " is corrupted and was left untouched: " + cause.getMessage()
                + ". Restore it from a backup (or move it away to start empty) and retry.", cause);
        this.file = file;
        this.problem = cause.getMessage();
    }

    /**
     * @param problem what is damaged, e.g. "its content fails its CRC-32C checksum"
     * @param remedy  how to restore it (which backups are intact, which command reinstates one)
     */
    public StoreCorruptedException(Path file, String problem, String remedy) {
        super("State file " + file + " is damaged and was left untouched: " + problem + ". Nothing was written. "
                + remedy, null);
        this.file = file;
        this.problem = problem;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** What is damaged, without the remedy. */
    public String problem() {
        return problem;
    }
}
