package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Port: a client for a configured cluster connection by name (blank or null: the default cluster). */
@FunctionalInterface
public interface ClusterClients {

    KubernetesClient client(String clusterName);

    /** Every name maps to one client (a single cluster, or the simulated cluster in tests and the demo). */
    static ClusterClients single(KubernetesClient client) {
        return name -> client;
    }
}
