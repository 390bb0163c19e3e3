package io.jenkins.plugins.kubeplatform.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No method over 60 lines in the plugin's and the engine's main sources (issue 13 item 7). Every file is
 * checked.
 */
class MethodLengthTest {

    static final int LIMIT = 60;

    static Path moduleDir() throws Exception {
        Path classes = Path.of(io.jenkins.plugins.kubeplatform.kube.ClusterForms.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        return classes.getParent().getParent();
    }

    static Path packageRoot(String module) throws Exception {
        return moduleDir().resolveSibling(module).resolve("src/main/java/io/jenkins/plugins/kubeplatform");
    }

    static boolean checked(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".java");
    }

    static List<String> longMethods(Path root) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(MethodLengthTest::checked).sorted().forEach(f -> {
                try {
                    for (MethodLengths.Method m : MethodLengths.of(Files.readString(f))) {
                        if (m.lines() > LIMIT) {
                            offenders.add(root.relativize(f) + ":" + m.line() + " " + m.name() + " (" + m.lines()
                                    + " lines)");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return offenders;
    }

    @Test
    void pluginHasNoMethodOverSixtyLines() throws Exception {
        Path plugin = packageRoot("plugin");
        assertThat(plugin.resolve("kube/ClusterForms.java")).exists();

        assertThat(longMethods(plugin)).isEmpty();
    }

    @Test
    void engineHasNoMethodOverSixtyLines() throws Exception {
        Path engine = packageRoot("engine");
        assertThat(engine.resolve("engine/edgevm/EdgeVmEngine.java")).exists();

        assertThat(longMethods(engine)).isEmpty();
    }

    @Test
    void checksEveryJavaSourceAndNothingElseWhenFilteringSources() {
        Path root = Path.of("src/main/java/io/jenkins/plugins/kubeplatform");

        assertThat(checked(root.resolve("stickyip/Rollout.java"))).isTrue();
        assertThat(checked(root.resolve("repair/RepairConfiguration.java"))).isTrue();
        assertThat(checked(root.resolve("stickyip/Rollout.txt"))).isFalse();
    }

    @Test
    void measuresMethodsAndConstructorsButNotLambdasRecordsOrAnonymousClasses() {
        String body = "        x++;\n".repeat(59);
        String source = "class A {\n"
                + "    record R(int a) {\n        R {\n" + body + "        }\n    }\n"
                + "    A(int a) throws java.io.IOException {\n" + body + "    }\n"
                + "    @Deprecated\n    static java.util.List<String> sixtyOne(String s) {\n" + body
                + "        Runnable r = () -> {\n        };\n"
                + "        Object o = new Object() {\n        };\n"
                + "        String t = \"} {\" + '}';\n"
                + "        /* } */ // {\n"
                + "    }\n"
                + "}\n";

        List<MethodLengths.Method> methods = MethodLengths.of(source);

        assertThat(methods).extracting(MethodLengths.Method::name, MethodLengths.Method::lines)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("A", 61),
                        org.assertj.core.groups.Tuple.tuple("sixtyOne", 67));
    }
}
