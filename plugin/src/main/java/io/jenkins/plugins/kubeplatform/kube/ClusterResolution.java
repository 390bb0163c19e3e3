package io.jenkins.plugins.kubeplatform.kube;

import hudson.AbortException;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The order in which a step finds its cluster, first match wins: the step's {@code cluster:} parameter, the
 * {@code KUBECONFIG} an enclosing {@code withKubeConfig} (kubernetes-cli plugin) provides, the global default cluster,
 * the controller's own in-cluster service account. When none applies the error lists what was tried.
 */
final class ClusterResolution {

    /** Where each candidate comes from; each answers empty when it does not apply. */
    interface Sources {

        /** A configured cluster by name; fails for an unknown name (a typo must not silently use another cluster). */
        ClusterConnection named(String name) throws IOException, InterruptedException;

        Optional<ClusterConnection> withKubeConfig() throws IOException, InterruptedException;

        Optional<ClusterConnection> globalDefault() throws IOException, InterruptedException;

        Optional<ClusterConnection> inCluster();

        /** How {@link #inCluster()} looks, for the error message. */
        String inClusterDescription();
    }

    private ClusterResolution() {
    }

    static ClusterConnection resolve(String cluster, Sources sources) throws IOException, InterruptedException {
        if (cluster != null && !cluster.isBlank()) {
            return sources.named(cluster.trim());
        }
        List<String> tried = new ArrayList<>();
        tried.add("the step's cluster parameter (not given)");
        Optional<ClusterConnection> found = sources.withKubeConfig();
        if (found.isPresent()) {
            return found.get();
        }
        tried.add("KUBECONFIG of an enclosing withKubeConfig (not set)");
        found = sources.globalDefault();
        if (found.isPresent()) {
            return found.get();
        }
        tried.add("the global default cluster (none configured in Manage Jenkins \u203a System \u203a Kubernetes "
                + "Platform Steps)");
        found = sources.inCluster();
        if (found.isPresent()) {
            return found.get();
        }
        tried.add("the controller's " + sources.inClusterDescription() + " (not present)");
        throw new AbortException(Messages.JenkinsClusters_NothingToConnectTo(String.join("; ", tried)));
    }
}
