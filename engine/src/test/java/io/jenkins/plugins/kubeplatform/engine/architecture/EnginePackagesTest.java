package io.jenkins.plugins.kubeplatform.engine.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine's packages form a layered graph, without cycles and without Jenkins. */
class EnginePackagesTest {

    static Path engineClasses() throws URISyntaxException {
        return Path.of(io.jenkins.plugins.kubeplatform.engine.core.Progress.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
    }

    @Test
    void hasNoPackageCycles() throws Exception {
        PackageGraph graph = PackageGraph.of(engineClasses());

        assertThat(graph.dependenciesOf("io.jenkins.plugins.kubeplatform.engine.stickyip")).as("the graph was read")
                .contains("io.jenkins.plugins.kubeplatform.engine.core");
        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void findsACycleWhenTwoPackagesUseEachOther(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // a control for the check itself: two compiled classes in two packages that refer to each other
        Path src = dir.resolve("src");
        Path a = src.resolve("io/jenkins/plugins/kubeplatform/a/A.java");
        Path b = src.resolve("io/jenkins/plugins/kubeplatform/b/B.java");
        Files.createDirectories(a.getParent());
        Files.createDirectories(b.getParent());
        Files.writeString(a, "package io.jenkins.plugins.kubeplatform.a; public class A { "
                + "public io.jenkins.plugins.kubeplatform.b.B b; }");
        Files.writeString(b, "package io.jenkins.plugins.kubeplatform.b; public class B { "
                + "public io.jenkins.plugins.kubeplatform.a.A a; }");
        Path out = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                a.toString(), b.toString());
        assertThat(rc).isZero();

        List<Set<String>> cycles = PackageGraph.of(out).cycles();

        assertThat(cycles).containsExactly(Set.of("io.jenkins.plugins.kubeplatform.a",
                "io.jenkins.plugins.kubeplatform.b"));
    }

    @Test
    void referencesNoJenkinsClass() throws Exception {
        try (Stream<Path> files = Files.walk(engineClasses())) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".class")).filter(f -> {
                try {
                    String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                    return text.contains("hudson/") || text.contains("jenkins/model/")
                            || text.contains("org/kohsuke/stapler/");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
