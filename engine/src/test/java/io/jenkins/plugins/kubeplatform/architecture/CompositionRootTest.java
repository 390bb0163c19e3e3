package io.jenkins.plugins.kubeplatform.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock and the retry policy are built once per entry point (the composition roots) and passed down as
 * constructor parameters: no other main source of any module builds them.
 */
class CompositionRootTest {

    static final List<String> MODULES = List.of("engine", "sim", "plugin", "cli");
    static final List<String> BUILDERS = List.of("Clock.systemUTC()", "ApiRetry.defaults()");
    /** Plugin: one holder loaded with the plugin; CLI: the root command's context; sim: its two entry points. */
    static final Set<String> ROOTS = Set.of(
            "plugin/src/main/java/io/jenkins/plugins/kubeplatform/common/PluginServices.java",
            "cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/CliContext.java",
            "sim/src/main/java/io/jenkins/plugins/kubeplatform/sim/SimulatedCluster.java",
            "sim/src/main/java/io/jenkins/plugins/kubeplatform/sim/AttachedControllers.java");

    @Test
    void buildsTheClockAndTheRetryPolicyOnlyInTheCompositionRootsWhenTheMainSourcesAreRead() {
        Path root = Path.of("..");
        List<String> found = new ArrayList<>();
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("main sources of " + module).isDirectory();
            found.addAll(uses(root, sources));
        }

        assertThat(found).as("Clock.systemUTC()/ApiRetry.defaults() outside the composition roots " + ROOTS)
                .allMatch(line -> ROOTS.contains(line.substring(0, line.indexOf(':'))));
        assertThat(found).as("each root builds them").hasSizeGreaterThanOrEqualTo(ROOTS.size());
    }

    @Test
    void reportsAUseWhenAClassOutsideTheRootsBuildsAClock(@TempDir Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("demo/src/main/java/x"));
        Files.writeString(sources.resolve("Late.java"), "class Late { java.time.Clock c = java.time.Clock.systemUTC(); }\n");

        assertThat(uses(dir, dir.resolve("demo/src/main/java"))).containsExactly("demo/src/main/java/x/Late.java:1");
    }

    /** {@code path:line} of every main-source line that builds a clock or the default retry policy. */
    static List<String> uses(Path root, Path sources) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (BUILDERS.stream().anyMatch(line::contains)) {
                        out.add(root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
