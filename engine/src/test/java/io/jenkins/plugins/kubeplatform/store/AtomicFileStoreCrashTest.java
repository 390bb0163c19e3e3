package io.jenkins.plugins.kubeplatform.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileStoreCrashTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheLastAcknowledgedStateWhenTheWriterIsKilledMidWrite() throws Exception {
        Path file = dir.resolve("counter.json");
        for (int round = 0; round < 3; round++) {
            long lastAck = runAndKill(file, 15 + round * 7);
            AtomicFileStore<StoreWriterProcess.Counter> store = AtomicFileStore.of(file, "counter",
                    StoreWriterProcess.Counter.class, () -> new StoreWriterProcess.Counter(0, ""));

            long stored = store.read().value();

            // acknowledged writes survive; the one in flight at the kill either landed whole or not at all
            assertThat(stored).isBetween(lastAck, lastAck + 1);
        }
    }

    private long runAndKill(Path file, int acksBeforeKill) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StoreWriterProcess.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        long lastAck = -1;
        int seen = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    if (++seen == acksBeforeKill) {
                        // SIGKILL from outside: no shutdown hooks, no flushing, possibly mid-write
                        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
                    }
                } else if (seen < acksBeforeKill) {
                    throw new AssertionError("writer process said: " + line);
                }
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lastAck).isPositive();
        return lastAck;
    }
}
