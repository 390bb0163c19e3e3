package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.kube.ClusterConnectionConfig;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Jenkins as a step execution test sees it: the plugin's worker pool, clients of the simulated cluster, the build's
 * actions in a list. {@link #restart()} is a controller restart: the workers stop (their work is interrupted), every
 * connection closes, a new pool starts.
 */
public class SimStepHost implements StepHost {

    protected final SimulatedCluster sim;
    private volatile ScheduledExecutorService workers = StepWorkers.newPool(2);
    private final List<KubernetesClient> clients = Collections.synchronizedList(new ArrayList<>());
    /** Names of the threads that connected to the cluster: where the blocking work ran. */
    public final Set<String> threads = ConcurrentHashMap.newKeySet();
    public final List<ResultAction> actions = Collections.synchronizedList(new ArrayList<>());
    /** The full name of the build's job. */
    public volatile String job = "platform/deploy";
    /** The configured cluster the step resolves, with its Allowed folders and jobs; none: an unrestricted cluster. */
    public volatile ClusterConnectionConfig cluster;

    public SimStepHost(SimulatedCluster sim) {
        this.sim = sim;
    }

    @Override
    public ScheduledExecutorService workers() {
        return workers;
    }

    @Override
    public ClusterConnection connection(String name, StepContext context) throws AbortException {
        if (cluster != null) {
            cluster.checkAllowed(job);
        }
        threads.add(Thread.currentThread().getName());
        return ClusterConnection.anonymous("sim", sim.url(), "default");
    }

    @Override
    public KubernetesClient client(ClusterConnection connection, Progress log) {
        threads.add(Thread.currentThread().getName());
        // built as the plugin builds a step's client, so that the API server's warnings reach the build log
        KubernetesClient client = KubernetesClients.create(sim.client().getConfiguration(), new ServerWarnings(log));
        clients.add(client);
        return client;
    }

    @Override
    public String job(StepContext context) {
        return job;
    }

    @Override
    public String owner(StepContext context) {
        return "platform/deploy#7";
    }

    @Override
    public void addAction(StepContext context, ResultAction action) {
        actions.add(action);
    }

    /** The controller goes down and comes back: running work is cut off, connections are gone. */
    public void restart() throws InterruptedException {
        assertThat(StepWorkers.stop(workers)).as("workers ended within the bound").isTrue();
        List.copyOf(clients).forEach(KubernetesClient::close);
        clients.clear();
        workers = StepWorkers.newPool(2);
    }

    public void close() throws InterruptedException {
        StepWorkers.stop(workers);
        List.copyOf(clients).forEach(KubernetesClient::close);
    }

    /** Every piece of step work ran on the plugin's workers, none on a Jenkins Timer thread. */
    public void assertWorkRanOnStepWorkers() {
        assertThat(threads).isNotEmpty().allMatch(t -> t.startsWith(StepWorkers.THREAD_PREFIX), "a step worker")
                .noneMatch(t -> t.contains("Timer"));
    }
}
