package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A writer in a separate JVM on this test's class path, standing for a second controller or a CLI on the same store:
 * started with the test JVMs' flags, its output read line by line.
 */
public final class WriterJvm {

    private WriterJvm() {
    }

    /** Starts {@code main} with {@code args}; standard error is merged into the output. */
    public static Process start(Class<?> main, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Reads the process's output to its end and waits for it (at most {@code seconds}); asserts that it exited with
     * 0, showing its other output when not. The lines {@code reported} accepts, in order.
     */
    public static List<String> finish(Process process, Predicate<String> reported, int seconds) throws Exception {
        List<String> lines = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (reported.test(line)) {
                    lines.add(line);
                } else {
                    other.append(line).append('\n');
                }
            }
        }
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("writer ended within %d s", seconds).isTrue();
        assertThat(process.exitValue()).as("writer output:%n%s", other).isZero();
        return lines;
    }
}
