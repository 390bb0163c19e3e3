package io.jenkins.plugins.kubeplatform.sim;

import io.jenkins.plugins.kubeplatform.sim.controllers.Kubelet;
import io.jenkins.plugins.kubeplatform.sim.controllers.NodeLifecycle;
import io.jenkins.plugins.kubeplatform.sim.controllers.Scheduler;
import java.util.ArrayList;
import java.util.List;

/** The controllers every simulated cluster runs unless {@link SimOptions#builtInControllers()} is off. */
final class DefaultControllers {

    private DefaultControllers() {
    }

    static List<SimController> create(SimOptions options) {
        List<SimController> controllers = new ArrayList<>();
        controllers.add(new Scheduler());
        controllers.add(new Kubelet());
        controllers.add(new NodeLifecycle());
        controllers.add(new io.jenkins.plugins.kubeplatform.sim.ingress.SimIngressController());
        controllers.add(new io.jenkins.plugins.kubeplatform.sim.ingress.SimGatewayController());
        controllers.add(new io.jenkins.plugins.kubeplatform.sim.kubevirt.SimKubeVirt());
        return controllers;
    }
}
