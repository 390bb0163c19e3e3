package io.jenkins.plugins.kubeplatform.sim.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.jenkins.plugins.kubeplatform.sim.BuiltInControllers;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The simulated cluster's packages form a graph without cycles: the cluster's own package names no controller
 * package (it finds the built-in controllers through {@link BuiltInControllers}); helpers shared by the API server and
 * the controllers live in {@code sim.model}; identities in {@code sim.auth}. (The rule's control, a planted cycle,
 * is in the CLI's {@code CliPackagesTest}.)
 */
class SimPackagesTest {

    @Test
    void hasNoPackageCycles() throws Exception {
        JavaClasses sim = new ClassFileImporter().importPath(
                Path.of(SimulatedCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI()));

        assertThat(sim.containPackage("io.jenkins.plugins.kubeplatform.sim.controllers")).as("classes read").isTrue();
        slices().matching("io.jenkins.plugins.kubeplatform.(**)").should().beFreeOfCycles().check(sim);
    }

    @Test
    void findsTheBuiltInControllersThroughTheServiceLoader() {
        assertThat(BuiltInControllers.load(SimOptions.builder().build()))
                .extracting(c -> c.getClass().getSimpleName())
                .contains("Scheduler", "Kubelet", "DeploymentController", "DisruptionController", "SimKubeVirt");
    }
}
