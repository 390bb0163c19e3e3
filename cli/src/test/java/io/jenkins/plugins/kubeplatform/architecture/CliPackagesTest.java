package io.jenkins.plugins.kubeplatform.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's packages form a graph without cycles. ArchUnit reads every reference in the bytecode, including class
 * literals in annotations (picocli's {@code subcommands}), which jdeps does not report.
 */
class CliPackagesTest {

    /** One slice per package of the project, e.g. {@code cli}, {@code cli.bench}, {@code cli.bench.spi}. */
    static final ArchRule NO_CYCLES = slices().matching("io.jenkins.plugins.kubeplatform.(**)").should()
            .beFreeOfCycles();

    static Path classesOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void hasNoPackageCycles() throws Exception {
        JavaClasses cli = new ClassFileImporter().importPath(
                classesOf(io.jenkins.plugins.kubeplatform.cli.KubePlatformCli.class));

        assertThat(cli.containPackage("io.jenkins.plugins.kubeplatform.cli.bench")).as("the classes were read").isTrue();
        NO_CYCLES.check(cli);
    }

    @Test
    void findsACycleMadeByAnAnnotationClassLiteral(@TempDir Path dir) throws Exception {
        // a control for the check itself: package a names b only in an annotation value, as picocli's subcommands do
        Path src = dir.resolve("src");
        Path a = src.resolve("io/jenkins/plugins/kubeplatform/a/A.java");
        Path b = src.resolve("io/jenkins/plugins/kubeplatform/b/B.java");
        Files.createDirectories(a.getParent());
        Files.createDirectories(b.getParent());
        Files.writeString(a, "package io.jenkins.plugins.kubeplatform.a; @A.Lists(io.jenkins.plugins.kubeplatform.b.B"
                + ".class) public class A { @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy"
                + ".RUNTIME) public @interface Lists { Class<?> value(); } }");
        Files.writeString(b, "package io.jenkins.plugins.kubeplatform.b; public class B { "
                + "public io.jenkins.plugins.kubeplatform.a.A a; }");
        Path out = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                a.toString(), b.toString());
        assertThat(rc).isZero();
        JavaClasses planted = new ClassFileImporter().importPath(out);

        assertThatThrownBy(() -> NO_CYCLES.check(planted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected: Slice a -> \n").hasMessageContaining("Slice b");
    }
}
