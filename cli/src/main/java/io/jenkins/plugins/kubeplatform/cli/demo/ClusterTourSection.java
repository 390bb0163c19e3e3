package io.jenkins.plugins.kubeplatform.cli.demo;

import io.jenkins.plugins.kubeplatform.sim.SimTour;

/** What the simulated cluster itself does, before the capabilities use it. */
final class ClusterTourSection implements DemoSection {

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String title() {
        return "the simulated cluster: nodes, a Deployment, Calico IP pinning and its conflict, a disruption budget";
    }

    @Override
    public void run(DemoEnvironment env) {
        SimTour.run(env.sim(), line -> env.say("%s", line));
        // the tour's disruption budget allows no eviction at all: left in place it would hold up the repair section
        // for as long as a real budget would (the repair waits, it never violates a budget)
        var client = env.client();
        client.policy().v1().podDisruptionBudget().inNamespace(TOUR_NAMESPACE).delete();
        client.apps().deployments().inNamespace(TOUR_NAMESPACE).delete();
        client.apps().replicaSets().inNamespace(TOUR_NAMESPACE).delete();
        client.pods().inNamespace(TOUR_NAMESPACE).delete();
        env.say("(tour objects in namespace %s removed)", TOUR_NAMESPACE);
    }

    /** Where {@link SimTour} creates its objects. */
    static final String TOUR_NAMESPACE = "sim-tour";
}
