package io.jenkins.plugins.kubeplatform.image;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.EnvVarEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The daemonless image build of {@code stickyIpDeploy(build: imageBuild(...))}: base image plus a built artifact
 * from the workspace, pushed with a username/password credential. Parameters only.
 */
public class ImageBuild extends AbstractDescribableImpl<ImageBuild> implements Serializable {

    /** Kept by a running {@code stickyIpDeploy} across a restart until the image is pushed. */
    private static final long serialVersionUID = 1L;

    private final String artifact;
    private final String from;
    private final String to;
    private String credentialsId = "";
    private String fromCredentialsId = "";
    private boolean insecure;
    private List<String> entrypoint = new ArrayList<>();
    private List<Integer> ports = new ArrayList<>();
    private Map<String, String> env = new LinkedHashMap<>();
    private Map<String, String> labels = new LinkedHashMap<>();
    private String destination = "";

    @DataBoundConstructor
    public ImageBuild(String artifact, String from, String to) {
        this.artifact = artifact;
        this.from = from;
        this.to = to;
    }

    public String getArtifact() {
        return artifact;
    }

    public String getFrom() {
        return from;
    }

    public String getTo() {
        return to;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** Username/password credential for pushing to {@code to} (the password may be a token). */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.trim();
    }

    public String getFromCredentialsId() {
        return fromCredentialsId;
    }

    /** Username/password credential for pulling {@code from}; default: see the help. */
    @DataBoundSetter
    public void setFromCredentialsId(String fromCredentialsId) {
        this.fromCredentialsId = fromCredentialsId == null ? "" : fromCredentialsId.trim();
    }

    public boolean isInsecure() {
        return insecure;
    }

    @DataBoundSetter
    public void setInsecure(boolean insecure) {
        this.insecure = insecure;
    }

    public List<String> getEntrypoint() {
        return entrypoint;
    }

    @DataBoundSetter
    public void setEntrypoint(List<String> entrypoint) {
        this.entrypoint = entrypoint == null ? new ArrayList<>() : new ArrayList<>(entrypoint);
    }

    public List<Integer> getPorts() {
        return ports;
    }

    @DataBoundSetter
    public void setPorts(List<Integer> ports) {
        this.ports = ports == null ? new ArrayList<>() : new ArrayList<>(ports);
    }

    /** Always null: Pipeline's map shape {@code env: [A: '1']} is only written; see {@link #getEnvVars()}. */
    public Map<String, String> getEnv() {
        return null;
    }

    /** Environment variables baked into the image, like {@code stickyIpDeploy}'s {@code env} for the container. */
    @DataBoundSetter
    public void setEnv(Map<String, String> env) {
        if (env != null) {
            EnvVarEntry.addTo(this.env, EnvVarEntry.fromMap(env), "env");
        }
    }

    /** The image's environment variables as the form's repeatable entries. */
    public List<EnvVarEntry> getEnvVars() {
        return EnvVarEntry.fromMap(env);
    }

    @DataBoundSetter
    public void setEnvVars(List<EnvVarEntry> envVars) {
        EnvVarEntry.addTo(this.env, envVars, "envVars");
    }

    /** The image's environment variables, whichever shape configured them. */
    public Map<String, String> environment() {
        return new LinkedHashMap<>(env);
    }

    /** Always null: Pipeline's map shape {@code labels: [team: 'shop']} is only written; see {@link #getLabelEntries()}. */
    public Map<String, String> getLabels() {
        return null;
    }

    @DataBoundSetter
    public void setLabels(Map<String, String> labels) {
        if (labels != null) {
            EnvVarEntry.addTo(this.labels, EnvVarEntry.fromMap(labels), "labels");
        }
    }

    /** The image labels as the form's repeatable entries. */
    public List<EnvVarEntry> getLabelEntries() {
        return EnvVarEntry.fromMap(labels);
    }

    @DataBoundSetter
    public void setLabelEntries(List<EnvVarEntry> labelEntries) {
        EnvVarEntry.addTo(this.labels, labelEntries, "labelEntries");
    }

    /** The image labels, whichever shape configured them. */
    public Map<String, String> imageLabels() {
        return new LinkedHashMap<>(labels);
    }

    public String getDestination() {
        return destination;
    }

    @DataBoundSetter
    public void setDestination(String destination) {
        this.destination = destination == null ? "" : destination.trim();
    }

    /** Descriptor with the {@code imageBuild} symbol and the credentials drop-downs. */
    @Extension
    @Symbol("imageBuild")
    public static class DescriptorImpl extends Descriptor<ImageBuild> {

        @Override
        public String getDisplayName() {
            return Messages.ImageBuild_DisplayName();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return usernamePasswordCredentials(item, credentialsId);
        }

        @POST
        public ListBoxModel doFillFromCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String fromCredentialsId) {
            return usernamePasswordCredentials(item, fromCredentialsId);
        }

        private static ListBoxModel usernamePasswordCredentials(Item item, String current) {
            boolean allowed = item == null
                    ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                    : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(Item.CONFIGURE);
            if (!allowed) {
                return new StandardListBoxModel().includeCurrentValue(current);
            }
            StandardListBoxModel model = new StandardListBoxModel();
            model.includeEmptyValue();
            if (item == null) {
                model.includeAs(ACL.SYSTEM2, Jenkins.get(), StandardUsernamePasswordCredentials.class);
            } else {
                model.includeAs(ACL.SYSTEM2, item, StandardUsernamePasswordCredentials.class);
            }
            model.includeCurrentValue(current);
            return model;
        }
    }
}
