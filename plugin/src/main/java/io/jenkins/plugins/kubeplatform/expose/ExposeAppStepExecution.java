package io.jenkins.plugins.kubeplatform.expose;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.EngineStepExecution;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeEngine;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeRequest;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeResult;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Maps the step to an {@link ExposeRequest}, runs the engine on the plugin's workers, returns the result map and shows
 * it on the build page. After a restart the same request runs again: the host claim already belongs to this app, the
 * Service and route exist, so only what is missing is written and the admission wait continues.
 */
final class ExposeAppStepExecution extends EngineStepExecution {

    private static final long serialVersionUID = 1L;

    /** Jenkins, or a test's stand-in for it. */
    static volatile ExposeHost host = ExposeHost.JENKINS;

    private final String cluster;
    private final String namespace;
    private final String app;
    private final int port;
    private final Integer targetPort;
    private final String hostName;
    private final String service;
    private final String route;
    private final String onConflict;
    private final String upstream;
    private final boolean verify;

    ExposeAppStepExecution(ExposeAppStep step, StepContext context) {
        super(context);
        this.cluster = step.getCluster();
        this.namespace = step.getNamespace();
        this.app = step.getApp();
        this.port = step.getPort();
        this.targetPort = step.getTargetPort();
        this.hostName = step.getHost();
        this.service = step.getService();
        this.route = step.getRoute();
        this.onConflict = step.getOnConflict();
        this.upstream = step.getUpstream();
        this.verify = step.isVerify();
    }

    @Override
    protected String functionName() {
        return "exposeApp";
    }

    @Override
    protected StepHost host() {
        return host;
    }

    @Override
    protected Object run() throws Exception {
        ExposeHost h = host;
        ExposeSettings settings = h.settings();
        FolderAccess.check(h.job(getContext()), DomainSettingsConfiguration.suffixAccess(settings.suffix(),
                h.suffixAllowedJobs()));
        ClusterConnection connection = h.connection(cluster, getContext());
        String ns = namespace.isBlank() ? connection.namespace() : namespace;
        ExposeRequest request = ExposeRequest.builder().namespace(ns).app(app).port(port).targetPort(targetPort)
                .host(hostName).service(service).route(route).onConflict(onConflict).upstream(upstream).verify(verify)
                .requestedBy(h.owner(getContext())).build();
        Progress progress = JenkinsProgress.of(listener());
        try (KubernetesClient client = h.client(connection, progress)) {
            ExposeEngine engine = new ExposeEngine(client, settings, h.registry(), PluginServices.clock(), progress,
                    ApiRetries.policy());
            phase("exposing " + ns + "/" + app);
            ExposeResult result = engine.expose(request);
            h.addAction(getContext(), ExposeApps.resultAction(result));
            return result.toMap();
        }
    }
}
