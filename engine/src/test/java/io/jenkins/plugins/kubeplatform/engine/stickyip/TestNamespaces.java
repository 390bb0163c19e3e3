package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;

/** Creates the namespaces a test deploys into: like a real API server, the simulated cluster refuses the others. */
final class TestNamespaces {

    static final String[] USED = {"shop", "keep", "other", "team", "team-pull"};

    private TestNamespaces() {
    }

    static SimulatedCluster with(SimulatedCluster sim, String... names) {
        for (String name : names.length == 0 ? USED : names) {
            if (sim.client().namespaces().withName(name).get() == null) {
                sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                        .endMetadata().build()).create();
            }
        }
        // the test's own setup is not part of what the code under test requested
        sim.requests().clear();
        return sim;
    }
}
