package io.jenkins.plugins.kubeplatform.common;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** What a step execution needs from Jenkins; tests give their own (a simulated cluster, their own worker pool). */
public interface StepHost {

    /** Where the blocking work runs: the plugin's {@link StepWorkers}, never a shared Jenkins thread. */
    ScheduledExecutorService workers();

    /** The connection the step uses (cluster parameter, enclosing withKubeConfig, default, in-cluster). */
    ClusterConnection connection(String cluster, StepContext context) throws IOException, InterruptedException;

    /**
     * A client for one run of the step; the API server's warnings on its requests go to {@code log}, each text
     * once (as {@code kubectl} prints them).
     */
    KubernetesClient client(ClusterConnection connection, Progress log);

    /** The full name of the build's job ({@code folder/sub/job}): what the Allowed folders and jobs lists match. */
    String job(StepContext context) throws IOException, InterruptedException;

    /** Who changes are recorded for: the build. */
    String owner(StepContext context) throws IOException, InterruptedException;

    /** Shows the step's outcome on the build page. */
    void addAction(StepContext context, ResultAction action) throws IOException, InterruptedException;
}
