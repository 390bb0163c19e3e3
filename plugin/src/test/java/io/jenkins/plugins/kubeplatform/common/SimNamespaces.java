package io.jenkins.plugins.kubeplatform.common;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;

/** Creates the namespaces the plugin tests deploy into: like a real API server, the simulated cluster refuses others. */
public final class SimNamespaces {

    private static final String[] USED = {"shop", "retail", "apps"};

    private SimNamespaces() {
    }

    public static SimulatedCluster with(SimulatedCluster sim) {
        for (String name : USED) {
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
