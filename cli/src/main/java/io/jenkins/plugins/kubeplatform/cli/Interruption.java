package io.jenkins.plugins.kubeplatform.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C: the JVM exits with 130 (128 + SIGINT) after its shutdown hooks. Ours prints one line instead of
 * whatever the interrupted work would throw, and leaves a note in the state directory; the next successful run
 * there says what it resumed and removes the note. Every state file is written atomically or journaled, so an
 * interrupted run leaves them consistent; re-running converges from the live state.
 */
final class Interruption {

    static final String NOTE = "interrupted";

    private static final AtomicBoolean INTERRUPTED = new AtomicBoolean();
    private static final AtomicBoolean FINISHED = new AtomicBoolean();
    private static final AtomicReference<Operation> CURRENT = new AtomicReference<>();
    private static final AtomicReference<Path> PENDING_NOTE = new AtomicReference<>();

    private record Operation(Path stateDir, String description) {
    }

    private Interruption() {
    }

    /** Called once by {@code main}: only a real process handles the signal. */
    static void install() {
        PrintStream err = System.err;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (FINISHED.get()) {
                return;
            }
            INTERRUPTED.set(true);
            Operation op = CURRENT.get();
            if (op != null) {
                try {
                    Files.createDirectories(op.stateDir());
                    Files.writeString(op.stateDir().resolve(NOTE), op.description() + " interrupted at "
                            + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    // the note is a courtesy; the state itself is consistent without it
                }
            }
            err.println();
            err.println("kubeplatform: interrupted" + (op == null ? "" : " during " + op.description())
                    + "; state files are consistent, run the same command again to resume");
            err.flush();
        }, "kubeplatform-interrupt"));
    }

    /** Whether the process is shutting down because of a signal (errors then are consequences, not bugs). */
    static boolean interrupted() {
        return INTERRUPTED.get();
    }

    /** The normal end: the hook then stays silent. */
    static void finished() {
        FINISHED.set(true);
    }

    /**
     * Records what is running in {@code stateDir}; returns the note of an earlier interrupted run there, if any.
     */
    static Optional<String> begin(Path stateDir, String description) {
        CURRENT.set(new Operation(stateDir, description));
        Path note = stateDir.resolve(NOTE);
        if (!Files.isRegularFile(note)) {
            return Optional.empty();
        }
        PENDING_NOTE.set(note);
        try {
            return Optional.of(Files.readString(note, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.of("an earlier run was interrupted");
        }
    }

    /** The invocation ended; when it succeeded, the earlier interruption is resolved. */
    static void ended(boolean success) {
        Path note = PENDING_NOTE.getAndSet(null);
        CURRENT.set(null);
        if (success && note != null) {
            try {
                Files.deleteIfExists(note);
            } catch (IOException e) {
                // harmless: the next run mentions it once more
            }
        }
    }
}
