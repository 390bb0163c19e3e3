package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A writer process is killed with {@code kill -9} at one chosen write boundary of its state file: the child stops
 * there ({@link HaltingFileIo}) and says so, the test kills it on that line. A kill keeps the page cache, so what
 * the store must guarantee is exact: before the rename, the file holds the last acknowledged state; from the rename
 * on, it holds the write in flight (written whole, never torn).
 */
class AtomicFileStoreCrashTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({
        "HALF_WRITTEN, 0",
        "WRITTEN_NOT_FORCED, 0",
        "FORCED, 0",
        "BEFORE_RENAME, 0",
        "AFTER_RENAME, 1",
        "AFTER_DIRECTORY_FSYNC, 1"})
    void keepsTheLastAcknowledgedStateWhenTheWriterIsKilledAtAWriteBoundary(HaltingFileIo.Point point,
            int inFlightLanded) throws Exception {
        Path file = dir.resolve("counter.json");
        int acksBeforeArm = 12;

        long lastAck = runAndKillAt(file, point, acksBeforeArm);

        AtomicFileStore<StoreWriterProcess.Counter> store = AtomicFileStore.of(file, "counter",
                StoreWriterProcess.Counter.class, () -> new StoreWriterProcess.Counter(0, ""));
        assertThat(lastAck).as("acknowledged before the kill").isEqualTo(acksBeforeArm);
        assertThat(store.read().value()).as("state after a kill at " + point).isEqualTo(lastAck + inFlightLanded);
    }

    /** Runs the writer until it stops at {@code point} of the write after {@code acksBeforeArm}, kills it there. */
    private long runAndKillAt(Path file, HaltingFileIo.Point point, int acksBeforeArm) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"),
                StoreWriterProcess.class.getName(), file.toString(), point.name(), Integer.toString(acksBeforeArm))
                .redirectErrorStream(true)
                .start();
        // reading the child's output cannot be interrupted: a child that never reaches the boundary is killed after
        // 60 s, which ends the output, and the assertions below fail
        CompletableFuture.runAsync(process::destroyForcibly,
                CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS));
        long lastAck = -1;
        String halted = null;
        List<String> afterKill = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (halted != null) {
                    afterKill.add(line);
                } else if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                } else if (line.startsWith("halted at ")) {
                    halted = line;
                    // SIGKILL from outside: no shutdown hooks, no flushing; the writer is parked at the boundary
                    new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
                } else {
                    throw new AssertionError("writer process said: " + line);
                }
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("ended by SIGKILL").isEqualTo(128 + 9);
        assertThat(halted).as("the writer reached the boundary").startsWith("halted at " + point + " ");
        assertThat(afterKill).as("the writer went no further after the boundary").isEmpty();
        return lastAck;
    }
}
