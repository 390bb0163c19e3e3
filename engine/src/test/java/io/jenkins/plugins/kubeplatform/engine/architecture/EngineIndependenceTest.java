package io.jenkins.plugins.kubeplatform.engine.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine runs in the CLI and in Jenkins alike, so it must not depend on Jenkins types. */
class EngineIndependenceTest {

    @Test
    void engineUsesNoJenkinsTypes() {
        JavaClasses engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jenkins.plugins.kubeplatform");

        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..")
                .because("the engine must stay free of Jenkins types (keep them in plugin/)")
                .check(engine);
    }
}
