package io.jenkins.plugins.kubeplatform.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The plugin's packages form a graph without cycles (its own classes: the engine's packages, some of the
 * same name, are checked by the engine's EnginePackagesTest). ArchUnit reads every
 * reference in the bytecode, including class literals in annotations, which jdeps does not report. The same rule's
 * control (a planted cycle that it must find) is in the CLI's {@code CliPackagesTest}.
 */
class PluginPackagesTest {

    /** One slice per package of the project, e.g. {@code common}, {@code kube}, {@code stickyip}. */
    static final ArchRule NO_CYCLES = slices().matching("io.jenkins.plugins.kubeplatform.(**)").should()
            .beFreeOfCycles();

    static Path classesOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void hasNoPackageCycles() throws Exception {
        JavaClasses plugin = new ClassFileImporter().importPath(
                classesOf(io.jenkins.plugins.kubeplatform.kube.KubePlatformConfiguration.class));

        assertThat(plugin.containPackage("io.jenkins.plugins.kubeplatform.common")).as("the classes were read").isTrue();
        NO_CYCLES.check(plugin);
    }
}
