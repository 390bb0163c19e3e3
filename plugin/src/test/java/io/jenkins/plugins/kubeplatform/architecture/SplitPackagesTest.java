package io.jenkins.plugins.kubeplatform.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Java package is split across modules (issue 13 item 7): the engine's packages live under
 * {@code io.jenkins.plugins.kubeplatform.engine}, the plugin's, the simulated cluster's and the command line's beside
 * it, so a class's package names the module that ships it and package-private access never crosses a jar.
 */
class SplitPackagesTest {

    static final List<String> MODULES = List.of("engine", "sim", "plugin", "cli");

    /** Package → the modules whose main sources declare classes in it. */
    static Map<String, Set<String>> packagesByModule(Path repository) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String module : MODULES) {
            Path sources = repository.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String pkg = sources.relativize(f.getParent()).toString().replace('\\', '/').replace('/', '.');
                    out.computeIfAbsent(pkg, p -> new TreeSet<>()).add(module);
                }
            }
        }
        return out;
    }

    @Test
    void declaresEveryPackageInOneModuleOnly() throws Exception {
        Path repository = MethodLengthTest.moduleDir().getParent();
        Map<String, Set<String>> packages = packagesByModule(repository);
        assertThat(packages).as("the sources were read").containsKeys("io.jenkins.plugins.kubeplatform.engine.stickyip",
                "io.jenkins.plugins.kubeplatform.stickyip", "io.jenkins.plugins.kubeplatform.cli",
                "io.jenkins.plugins.kubeplatform.sim");

        assertThat(packages).allSatisfy((pkg, modules) -> assertThat(modules).as(pkg).hasSize(1));
    }

    @Test
    void reportsAPackageDeclaredInTwoModulesWhenOneIsPlanted(@org.junit.jupiter.api.io.TempDir Path repository)
            throws Exception {
        for (String module : MODULES) {
            Files.createDirectories(repository.resolve(module).resolve("src/main/java/a/b"));
        }
        Files.writeString(repository.resolve("engine/src/main/java/a/b/X.java"), "package a.b; class X {}");
        Files.writeString(repository.resolve("plugin/src/main/java/a/b/Y.java"), "package a.b; class Y {}");
        Files.writeString(repository.resolve("cli/src/main/java/a/b/Z.txt"), "not a source");

        assertThat(packagesByModule(repository)).containsEntry("a.b", new TreeSet<>(Set.of("engine", "plugin")));
    }
}
