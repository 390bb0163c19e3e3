package io.jenkins.plugins.kubeplatform.expose;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freestyle "Expose an app" build step against the simulated cluster. */
class ExposeAppBuilderTest {

    @TempDir
    Path stateDir;
    SimulatedCluster sim;

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void exposesTheAppOnItsGeneratedHostAndRecordsTheResultAction() {
        ExposeAppBuilder builder = new ExposeAppBuilder(new ExposeAppStep("shop", 8080));

        ResultAction action = builder.exposeWith(sim.client(), "default", "freestyle/shop#1",
                ExposeSettings.defaults(), DomainRegistry.fileStore(stateDir), Progress.silent());

        // default template {app}.{namespace}.{suffix} with suffix apps.example.test
        String host = "shop.default.apps.example.test";
        assertThat(action.getStep()).isEqualTo("exposeApp");
        assertThat(action.getLines().get(0)).startsWith("http://" + host);
        assertThat(sim.client().network().v1().ingresses().inNamespace("default").list().getItems())
                .anyMatch(i -> i.getSpec().getRules().stream().anyMatch(r -> host.equals(r.getHost())));
        assertThat(sim.client().configMaps().inNamespace("kubeplatform-system").withName(host).get()).isNotNull();
    }

    @Test
    void refusesAJobOutsideTheSuffixsAllowedFoldersNamingTheSetting() {
        ExposeAppBuilder builder = new ExposeAppBuilder(new ExposeAppStep("shop", 8080));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> builder.checkAccess("team-b/shop", "apps.example.test", "team-a"))
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("Job 'team-b/shop'").hasMessageContaining("domain suffix 'apps.example.test'")
                .hasMessageContaining("domains.suffixAllowedJobs");
    }

    @Test
    void letsAJobInAnAllowedFolderOrAnyJobForASuffixWithoutAListExpose() throws Exception {
        ExposeAppBuilder builder = new ExposeAppBuilder(new ExposeAppStep("shop", 8080));

        builder.checkAccess("team-a/shop", "apps.example.test", "team-a");
        builder.checkAccess("team-b/shop", "apps.example.test", "");
    }
}
