package io.jenkins.plugins.kubeplatform.expose;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code exposeApp(app: '挖财', port: 8080)}: a conflict-free host, the Service and an admitted Ingress or HTTPRoute.
 * Returns a map with host, url, owner, service, route, routeName, changed.
 */
public final class ExposeAppStep extends Step {

    private final String app;
    private final int port;
    private String namespace = "";
    private Integer targetPort;
    private String host = "";
    private String service = "";
    private String route = "";
    private String onConflict = "";
    private String upstream = "";
    private boolean verify;
    private String cluster = "";

    @DataBoundConstructor
    public ExposeAppStep(String app, int port) {
        this.app = app;
        this.port = port;
    }

    public String getApp() {
        return app;
    }

    public int getPort() {
        return port;
    }

    public String getNamespace() {
        return namespace;
    }

    /** Default: the cluster's configured namespace. */
    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = namespace == null ? "" : namespace;
    }

    public Integer getTargetPort() {
        return targetPort;
    }

    @DataBoundSetter
    public void setTargetPort(Integer targetPort) {
        this.targetPort = targetPort;
    }

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = host == null ? "" : host;
    }

    public String getService() {
        return service;
    }

    @DataBoundSetter
    public void setService(String service) {
        this.service = service == null ? "" : service;
    }

    public String getRoute() {
        return route;
    }

    @DataBoundSetter
    public void setRoute(String route) {
        this.route = route == null ? "" : route;
    }

    public String getOnConflict() {
        return onConflict;
    }

    @DataBoundSetter
    public void setOnConflict(String onConflict) {
        this.onConflict = onConflict == null ? "" : onConflict;
    }

    public String getUpstream() {
        return upstream;
    }

    @DataBoundSetter
    public void setUpstream(String upstream) {
        this.upstream = upstream == null ? "" : upstream;
    }

    public boolean isVerify() {
        return verify;
    }

    @DataBoundSetter
    public void setVerify(boolean verify) {
        this.verify = verify;
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = cluster == null ? "" : cluster;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new ExposeAppStepExecution(this, context);
    }

    @Extension
    @org.jenkinsci.Symbol("exposeApp")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "exposeApp";
        }

        @Override
        public String getDisplayName() {
            return Messages.ExposeAppStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
