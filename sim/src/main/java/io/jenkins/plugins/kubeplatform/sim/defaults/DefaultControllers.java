package io.jenkins.plugins.kubeplatform.sim.defaults;

import io.jenkins.plugins.kubeplatform.sim.BuiltInControllers;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.auth.SimCertificates;
import io.jenkins.plugins.kubeplatform.sim.ingress.SimGatewayController;
import io.jenkins.plugins.kubeplatform.sim.ingress.SimIngressController;
import io.jenkins.plugins.kubeplatform.sim.kubevirt.SimKubeVirt;
import io.jenkins.plugins.kubeplatform.sim.controllers.DaemonSetController;
import io.jenkins.plugins.kubeplatform.sim.controllers.DeploymentController;
import io.jenkins.plugins.kubeplatform.sim.controllers.DisruptionController;
import io.jenkins.plugins.kubeplatform.sim.controllers.EndpointsController;
import io.jenkins.plugins.kubeplatform.sim.controllers.GarbageCollector;
import io.jenkins.plugins.kubeplatform.sim.controllers.ServiceAccountsController;
import io.jenkins.plugins.kubeplatform.sim.controllers.JobController;
import io.jenkins.plugins.kubeplatform.sim.controllers.Kubelet;
import io.jenkins.plugins.kubeplatform.sim.controllers.ReplicaSetController;
import io.jenkins.plugins.kubeplatform.sim.controllers.RootCaCertPublisher;
import io.jenkins.plugins.kubeplatform.sim.controllers.ResourceQuotaController;
import io.jenkins.plugins.kubeplatform.sim.controllers.StatefulSetController;
import io.jenkins.plugins.kubeplatform.sim.controllers.NodeLifecycle;
import io.jenkins.plugins.kubeplatform.sim.controllers.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * The controllers every simulated cluster runs unless {@link SimOptions#builtInControllers()} is off; found by the
 * cluster through {@link BuiltInControllers} so that the cluster's package does not depend on the controllers'.
 */
public final class DefaultControllers implements BuiltInControllers {

    @Override
    public List<SimController> create(SimOptions options) {
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
        controllers.add(new ResourceQuotaController());
        controllers.add(new SimIngressController());
        controllers.add(new SimGatewayController());
        controllers.add(new SimKubeVirt());
        controllers.add(new GarbageCollector());
        controllers.add(new ServiceAccountsController());
        controllers.add(new RootCaCertPublisher(() -> SimCertificates.shared().caPem()));
        return controllers;
    }
}
