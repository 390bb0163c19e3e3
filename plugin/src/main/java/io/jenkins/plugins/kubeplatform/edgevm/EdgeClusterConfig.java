package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** One edge cluster in the global configuration: where its nodes register and how VMs join it. */
public class EdgeClusterConfig extends AbstractDescribableImpl<EdgeClusterConfig> {

    private final String name;
    private final String location;
    private final String server;
    private String cluster = "";
    private int maxNodes = 8;
    private String joinMethod = "k3s";
    private String tokenCredentialsId = "";
    private String caCertHash = "";
    private String tokenFile = "";

    @DataBoundConstructor
    public EdgeClusterConfig(String name, String location, String server) {
        this.name = EdgeSiteConfig.clean(name);
        this.location = EdgeSiteConfig.clean(location);
        this.server = EdgeSiteConfig.clean(server);
    }

    EdgeSettings.EdgeCluster toEdgeCluster() {
        return new EdgeSettings.EdgeCluster(name, EdgeSiteConfig.absent(cluster), location, maxNodes, joinMethod, server,
                EdgeSiteConfig.absent(tokenCredentialsId), EdgeSiteConfig.absent(tokenFile),
                EdgeSiteConfig.absent(caCertHash));
    }

    public String getName() { return name; }
    public String getLocation() { return location; }
    public String getServer() { return server; }
    public String getCluster() { return cluster; }
    /** The cluster connection the nodes register in; empty: the default cluster. */
    @DataBoundSetter public void setCluster(String v) { cluster = EdgeSiteConfig.clean(v); }
    public int getMaxNodes() { return maxNodes; }
    @DataBoundSetter public void setMaxNodes(int v) { maxNodes = v; }
    public String getJoinMethod() { return joinMethod; }
    @DataBoundSetter public void setJoinMethod(String v) { joinMethod = EdgeSiteConfig.clean(v); }
    public String getTokenCredentialsId() { return tokenCredentialsId; }
    @DataBoundSetter public void setTokenCredentialsId(String v) { tokenCredentialsId = EdgeSiteConfig.clean(v); }
    public String getCaCertHash() { return caCertHash; }
    @DataBoundSetter public void setCaCertHash(String v) { caCertHash = EdgeSiteConfig.clean(v); }
    public String getTokenFile() { return tokenFile; }
    /**
     * Read by the command line only (a file beside its --config file); Jenkins never reads files named here and
     * uses {@link #getTokenCredentialsId()}. Accepted so that one configuration file serves both.
     */
    @DataBoundSetter public void setTokenFile(String v) { tokenFile = EdgeSiteConfig.clean(v); }

    @Extension
    public static final class DescriptorImpl extends Descriptor<EdgeClusterConfig> {

        @Override
        public String getDisplayName() {
            return Messages.EdgeClusterConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckJoinMethod(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                JoinMethod.parse("joinMethod", value);
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public ListBoxModel doFillClusterItems() {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return ClusterForms.clusterItems();
        }

        @POST
        public FormValidation doCheckCluster(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return ClusterForms.clusterReference(value);
        }

        @POST
        public ListBoxModel doFillTokenCredentialsIdItems(@QueryParameter String tokenCredentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormChecks.secretTextItems(tokenCredentialsId);
        }
    }
}
