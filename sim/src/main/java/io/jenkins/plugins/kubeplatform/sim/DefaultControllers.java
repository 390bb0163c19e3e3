package io.jenkins.plugins.kubeplatform.sim;

import io.jenkins.plugins.kubeplatform.sim.controllers.DaemonSetController;
import io.jenkins.plugins.kubeplatform.sim.controllers.DeploymentController;
import io.jenkins.plugins.kubeplatform.sim.controllers.DisruptionController;
import io.jenkins.plugins.kubeplatform.sim.controllers.EndpointsController;
import io.jenkins.plugins.kubeplatform.sim.controllers.JobController;
import io.jenkins.plugins.kubeplatform.sim.controllers.Kubelet;
import io.jenkins.plugins.kubeplatform.sim.controllers.ReplicaSetController;
import io.jenkins.plugins.kubeplatform.sim.controllers.StatefulSetController;
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
        controllers.add(new ReplicaSetController());
        controllers.add(new DeploymentController());
        controllers.add(new StatefulSetController());
        controllers.add(new JobController());
        controllers.add(new DaemonSetController());
        controllers.add(new EndpointsController());
        controllers.add(new DisruptionController());
        controllers.add(new io.jenkins.plugins.kubeplatform.sim.ingress.SimIngressController());
        controllers.add(new io.jenkins.plugins.kubeplatform.sim.ingress.SimGatewayController());
        controllers.add(new io.jenkins.plugins.kubeplatform.sim.kubevirt.SimKubeVirt());
        return controllers;
    }
}
