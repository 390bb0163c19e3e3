package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.AbortException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.ClusterClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** The engine's {@link ClusterClients} over the configured cluster connections; closes what it opened. */
final class JenkinsEdgeClients implements ClusterClients, AutoCloseable {

    /** Resolves a cluster name to a connection (with credentials) in the build's or the system's context. */
    private interface Resolver {
        ClusterConnection connection(String cluster) throws IOException, InterruptedException;
    }

    private final Resolver resolver;
    /** Shared by the clusters' clients: a warning several sites repeat is shown once. */
    private final ServerWarnings warnings;
    private final Map<String, KubernetesClient> clients = new LinkedHashMap<>();

    private JenkinsEdgeClients(Resolver resolver, ServerWarnings warnings) {
        this.resolver = resolver;
        this.warnings = warnings;
    }

    /** The build's clients; the API server's warnings go to the build's {@code log}. */
    static JenkinsEdgeClients forBuild(StepContext context, Progress log) {
        return new JenkinsEdgeClients(cluster -> JenkinsClusters.connection(cluster, context), new ServerWarnings(log));
    }

    /** The build's clients; the API server's warnings go to the build's {@code log}. */
    static JenkinsEdgeClients forBuild(hudson.model.Run<?, ?> run, Progress log) {
        return new JenkinsEdgeClients(cluster -> JenkinsClusters.connection(cluster, run), new ServerWarnings(log));
    }

    static JenkinsEdgeClients asSystem() {
        return new JenkinsEdgeClients(JenkinsClusters::connectionAsSystem, ServerWarnings.toJavaLog());
    }

    @Override
    public synchronized KubernetesClient client(String clusterName) {
        String key = clusterName == null ? "" : clusterName;
        KubernetesClient client = clients.get(key);
        if (client == null) {
            try {
                client = KubernetesClients.create(resolver.connection(key), warnings);
            } catch (AbortException e) {
                throw new OperationFailedException(e.getMessage(), e);
            } catch (IOException e) {
                throw new OperationFailedException("cluster '" + key + "': " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while connecting to cluster '" + key + "'", e);
            }
            clients.put(key, client);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
    }
}
