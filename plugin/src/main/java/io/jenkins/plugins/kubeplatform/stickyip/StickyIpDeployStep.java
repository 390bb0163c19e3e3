package io.jenkins.plugins.kubeplatform.stickyip;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.EnvVarEntry;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.stickyip.RolloutPolicy;
import io.jenkins.plugins.kubeplatform.image.ImageBuild;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code stickyIpDeploy(name: 'web', image: 'registry/web:1.4', port: 8080, replicas: 3)}: deploys so every replica
 * keeps its pod IP. With {@code build: imageBuild(...)} instead of {@code image}, the image is built and pushed first
 * and deployed by digest. With {@code template:} (YAML text) or {@code manifest:} (a workspace file) every identity is
 * rendered from the user's own pod template or Deployment. Returns a map: identities (identity, ip, node, pod), image, imageDigest, service, pool, changed.
 */
public class StickyIpDeployStep extends Step {

    private final String name;
    private final int port;
    private String image = "";
    private String namespace = "";
    private Integer replicas;
    private String pool = "default";
    private String cluster = "";
    private String timeout = "5m";
    private String maxUnavailable = RolloutPolicy.DEFAULT_MAX_UNAVAILABLE;
    private boolean prePull = true;
    private boolean inPlaceUpdate = true;
    private Map<String, String> env = new LinkedHashMap<>();
    private ImageBuild build;
    private String template = "";
    private String manifest = "";

    @DataBoundConstructor
    public StickyIpDeployStep(String name, int port) {
        this.name = name;
        this.port = port;
    }

    public String getName() {
        return name;
    }

    public int getPort() {
        return port;
    }

    public String getImage() {
        return image;
    }

    /** A prebuilt image, e.g. one pushed with docker-workflow; a digest reference pins exactly one image. */
    @DataBoundSetter
    public void setImage(String image) {
        this.image = image == null ? "" : image.trim();
    }

    public String getNamespace() {
        return namespace;
    }

    /** Blank: the cluster connection's namespace. */
    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = namespace == null ? "" : namespace.trim();
    }

    /** Null when not given: the manifest's {@code spec.replicas}, else 1. */
    public Integer getReplicas() {
        return replicas;
    }

    @DataBoundSetter
    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getPool() {
        return pool;
    }

    @DataBoundSetter
    public void setPool(String pool) {
        this.pool = pool == null || pool.isBlank() ? "default" : pool.trim();
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = cluster == null ? "" : cluster.trim();
    }

    /** How many identities a redeploy may take down at once: a number or a percentage of the replicas (SIP-4). */
    public String getMaxUnavailable() {
        return maxUnavailable;
    }

    @DataBoundSetter
    public void setMaxUnavailable(String maxUnavailable) {
        this.maxUnavailable = maxUnavailable == null || maxUnavailable.isBlank() ? RolloutPolicy.DEFAULT_MAX_UNAVAILABLE
                : maxUnavailable.trim();
    }

    /** Whether a redeploy that changes images pulls them on the identities' nodes before replacing any (SIP-4). */
    public boolean isPrePull() {
        return prePull;
    }

    @DataBoundSetter
    public void setPrePull(boolean prePull) {
        this.prePull = prePull;
    }

    /**
     * Whether an identity whose change is only in container images is updated in place: its pod keeps node and
     * address while the kubelet restarts the changed containers (SIP-4).
     */
    public boolean isInPlaceUpdate() {
        return inPlaceUpdate;
    }

    @DataBoundSetter
    public void setInPlaceUpdate(boolean inPlaceUpdate) {
        this.inPlaceUpdate = inPlaceUpdate;
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = timeout == null || timeout.isBlank() ? "5m" : timeout.trim();
    }

    /**
     * Always null: {@code env} is Pipeline's map shape of the variables ({@code env: [A: '1']}) and only written;
     * they read back as {@link #getEnvVars()} (so a generated snippet names them once) or {@link #environment()}.
     */
    public Map<String, String> getEnv() {
        return null;
    }

    /** Pipeline's map shape: {@code env: [JAVA_OPTS: '-Xmx512m']}; added to {@code envVars} if both are given. */
    @DataBoundSetter
    public void setEnv(Map<String, String> env) {
        if (env != null) {
            EnvVarEntry.addTo(this.env, EnvVarEntry.fromMap(env), "env");
        }
    }

    /** The container's environment variables as the form's repeatable entries. */
    public List<EnvVarEntry> getEnvVars() {
        return EnvVarEntry.fromMap(env);
    }

    /** The form's and the Snippet Generator's shape: {@code envVars: [envVar(name: 'A', value: '1')]}. */
    @DataBoundSetter
    public void setEnvVars(List<EnvVarEntry> envVars) {
        EnvVarEntry.addTo(this.env, envVars, "envVars");
    }

    /** The container's environment variables, whichever shape configured them. */
    public Map<String, String> environment() {
        return new LinkedHashMap<>(env);
    }

    public ImageBuild getBuild() {
        return build;
    }

    /** Build and push the image first (daemonless), then deploy it by digest; instead of {@code image}. */
    @DataBoundSetter
    public void setBuild(ImageBuild build) {
        this.build = build;
    }

    public String getTemplate() {
        return template;
    }

    /** The user's pod template or Deployment manifest as YAML text, e.g. {@code readFile('k8s/web.yaml')}. */
    @DataBoundSetter
    public void setTemplate(String template) {
        this.template = template == null ? "" : template;
    }

    public String getManifest() {
        return manifest;
    }

    /** A workspace file holding the pod template or Deployment manifest; instead of {@code template}. */
    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = manifest == null ? "" : manifest.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new StickyIpDeployExecution(this, context);
    }

    @Extension
    @Symbol("stickyIpDeploy")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "stickyIpDeploy";
        }

        @Override
        public String getDisplayName() {
            return Messages.StickyIpDeployStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.READ);
            try {
                Require.dnsLabel("name", value);
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.rule());
            }
        }

        @POST
        public FormValidation doCheckPort(@QueryParameter int value) {
            Jenkins.get().checkPermission(Jenkins.READ);
            return value >= 1 && value <= 65535 ? FormValidation.ok() : FormValidation.error(Messages.StickyIpDeployStep_BadPort());
        }

        @POST
        public ListBoxModel doFillPoolItems() {
            Jenkins.get().checkPermission(Jenkins.READ);
            ListBoxModel items = new ListBoxModel();
            for (PoolConfig p : StickyIpConfiguration.get().getPools()) {
                items.add(p.getName());
            }
            return items;
        }
    }
}
