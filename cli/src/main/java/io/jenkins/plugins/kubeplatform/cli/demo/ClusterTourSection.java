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
    }
}
