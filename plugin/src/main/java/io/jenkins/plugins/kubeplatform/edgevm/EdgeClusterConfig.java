package io.jenkins.plugins.kubeplatform.edgevm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmsSchema;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One edge cluster in the global configuration: where its nodes register and how VMs join it. Keys, rules and
 * defaults: {@link EdgeVmsSchema#EDGE_CLUSTER}.
 */
public class EdgeClusterConfig extends AbstractDescribableImpl<EdgeClusterConfig> {

    private final String name;
    private final String location;
    private final String server;
    private String cluster = "";
    private int maxNodes = EdgeSiteConfig.initialInt(EdgeVmsSchema.CLUSTER_MAX_NODES);
    private String joinMethod = EdgeSiteConfig.initial(EdgeVmsSchema.CLUSTER_JOIN_METHOD);
    private String tokenCredentialsId = "";
    private String caCertHash = "";
    private String tokenFile = "";

    @DataBoundConstructor
    public EdgeClusterConfig(String name, String location, String server) {
        this.name = EdgeSiteConfig.clean(name);
        this.location = EdgeSiteConfig.clean(location);
        this.server = EdgeSiteConfig.clean(server);
    }

    /** The edge cluster as an item of {@code edgeVms.edgeClusters} ({@link EdgeVmsSchema#EDGE_CLUSTER}). */
    ObjectNode toNode() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put(EdgeVmsSchema.CLUSTER_NAME.name(), name);
        node.put(EdgeVmsSchema.CLUSTER_LOCATION.name(), location);
        node.put(EdgeVmsSchema.CLUSTER_SERVER.name(), server);
        node.put(EdgeVmsSchema.CLUSTER_CLUSTER.name(), cluster);
        node.put(EdgeVmsSchema.CLUSTER_MAX_NODES.name(), maxNodes);
        node.put(EdgeVmsSchema.CLUSTER_JOIN_METHOD.name(), joinMethod);
        node.put(EdgeVmsSchema.CLUSTER_TOKEN_CREDENTIALS_ID.name(), tokenCredentialsId);
        node.put(EdgeVmsSchema.CLUSTER_TOKEN_FILE.name(), tokenFile);
        node.put(EdgeVmsSchema.CLUSTER_CA_CERT_HASH.name(), caCertHash);
        return node;
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

        /** The declared default of {@code key} ({@link EdgeVmsSchema#EDGE_CLUSTER}): what the view fills in for a new item. */
        public String defaultOf(String key) {
            return EdgeVmsSchema.EDGE_CLUSTER.setting(key).flatMap(Setting::defaultText).orElse("");
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return check(EdgeVmsSchema.CLUSTER_NAME, value);
        }

        @POST
        public FormValidation doCheckLocation(@QueryParameter String value) {
            return check(EdgeVmsSchema.CLUSTER_LOCATION, value);
        }

        @POST
        public FormValidation doCheckServer(@QueryParameter String value) {
            return check(EdgeVmsSchema.CLUSTER_SERVER, value);
        }

        @POST
        public FormValidation doCheckMaxNodes(@QueryParameter String value) {
            return check(EdgeVmsSchema.CLUSTER_MAX_NODES, value);
        }

        @POST
        public FormValidation doCheckJoinMethod(@QueryParameter String value) {
            return check(EdgeVmsSchema.CLUSTER_JOIN_METHOD, value);
        }

        private static FormValidation check(Setting<?> setting, String value) {
            return EdgeVmConfiguration.check(EdgeVmsSchema.EDGE_CLUSTER, setting, value);
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
