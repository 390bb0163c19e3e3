package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Builds engines against a simulated cluster and checks what they sent. */
final class ExposeFixture {

    static final String ROLE = "kubeplatform-exposeApp";
    static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    private ExposeFixture() {
    }

    static ApiRetry fastRetry() {
        return new ApiRetry(3, Duration.ofMillis(5), Duration.ofMillis(20), d -> Thread.sleep(d.toMillis()));
    }

    static ExposeSettings settings(String route) {
        return ExposeSettings.builder().suffix("apps.example.test").route(route).admitTimeout("10s").build();
    }

    static ExposeEngine engine(SimulatedCluster sim, ExposeSettings settings, Path stateDir) {
        StateStore<DomainRegistry> registry = DomainRegistry.fileStore(stateDir);
        return new ExposeEngine(sim.client(), settings, registry, Clock.systemUTC(), Progress.silent(), fastRetry());
    }

    static List<ApiRequest> writes(SimulatedCluster sim) {
        return sim.requests().matching(r -> !r.internal() && !r.isReview() && WRITE_VERBS.contains(r.verb()));
    }

    static void assertAllowedByRole(SimulatedCluster sim) {
        List<ResourceRequest> requests = sim.requests().list().stream()
                .map(r -> ResourceRequest.fromHttp(r.method(), r.pathAndQuery()))
                .flatMap(Optional::stream).toList();
        assertThat(requests).isNotEmpty();
        assertThat(RbacPolicy.ofProject().denied(ROLE, requests)).as("requests outside docs/rbac.yaml " + ROLE).isEmpty();
    }
}
