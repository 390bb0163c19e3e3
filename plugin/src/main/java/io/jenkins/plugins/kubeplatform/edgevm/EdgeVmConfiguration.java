package io.jenkins.plugins.kubeplatform.edgevm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Descriptor.FormException;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.common.StoreForms;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmsSchema;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryStoreSettings;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › Edge VMs: sites, edge clusters, the new-cluster template, tenant quotas and the state
 * sync timeouts of provisionEdgeVm. The keys, their rules and defaults are declared once in {@link EdgeVmsSchema}; this
 * class keeps the persisted fields and their setters. Configuration as Code: {@code unclassified: edgeVms: {...}}.
 */
@Extension
@Symbol("edgeVms")
public class EdgeVmConfiguration extends GlobalConfiguration {

    private List<EdgeSiteConfig> sites = new ArrayList<>();
    private List<EdgeClusterConfig> edgeClusters = new ArrayList<>();
    private List<TenantQuotaConfig> quotas = new ArrayList<>();
    private String newClusterPrefix = "";
    private String newClusterCluster = "";
    private int newClusterMaxNodes = EdgeSiteConfig.initialInt(EdgeVmsSchema.NEW_CLUSTER_MAX_NODES);
    private String newClusterJoinMethod = EdgeSiteConfig.initial(EdgeVmsSchema.NEW_CLUSTER_JOIN_METHOD);
    private String newClusterServer = "";
    private String newClusterTokenCredentialsId = "";
    private String newClusterCaCertHash = "";
    private String newClusterTokenFile = "";
    private String startTimeout = EdgeSiteConfig.initial(EdgeVmsSchema.START_TIMEOUT);
    private String joinTimeout = EdgeSiteConfig.initial(EdgeVmsSchema.JOIN_TIMEOUT);
    private String waitTimeout = EdgeSiteConfig.initial(EdgeVmsSchema.WAIT_TIMEOUT);
    private int maxAttempts = EdgeSiteConfig.initialInt(EdgeVmsSchema.MAX_ATTEMPTS);
    private String scoringLoadWeight = EdgeSiteConfig.initial(EdgeVmsSchema.SCORING_LOAD_WEIGHT);
    private String scoringDistanceWeight = EdgeSiteConfig.initial(EdgeVmsSchema.SCORING_DISTANCE_WEIGHT);
    private String scoringDistanceScaleKm = EdgeSiteConfig.initial(EdgeVmsSchema.SCORING_DISTANCE_SCALE_KM);
    private boolean syncEnabled = EdgeSiteConfig.initialFlag(EdgeVmsSchema.SYNC_ENABLED);
    private String inventoryStore = EdgeSiteConfig.initial(EdgeVmsSchema.INVENTORY_STORE);
    private String inventoryNamespace = EdgeSiteConfig.initial(EdgeVmsSchema.INVENTORY_NAMESPACE);

    public EdgeVmConfiguration() {
        load();
    }

    /** Neither loaded nor saved: what a form submission is bound to before it is checked. */
    EdgeVmConfiguration(Void detached) {
    }

    /**
     * A submitted form replaces the whole configuration (an emptied list is emptied), after every value is checked,
     * with one save.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        EdgeVmConfiguration candidate = new EdgeVmConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // a candidate is never persisted
            }
        };
        ConfigurationForms.replace(EdgeVmConfiguration.class, this, candidate, req, json, EdgeVmConfiguration::check);
        return true;
    }

    /** Everything the form can get wrong, before anything changes; the exception names the field. */
    void check() throws FormException {
        try {
            toSettings().validated();
            inventorySettings();
        } catch (InvalidInputException e) {
            throw ConfigurationForms.invalid(e);
        }
    }

    public static EdgeVmConfiguration get() {
        return ExtensionList.lookupSingleton(EdgeVmConfiguration.class);
    }

    /**
     * The engine's settings, read from the fields as the CLI reads its file ({@link EdgeVmsSchema}): a bad value is an
     * input error naming the field; the rules between fields are checked by {@link EdgeSettings#validated()}.
     */
    public EdgeSettings toSettings() {
        ObjectNode section = Json.mapper().createObjectNode();
        ArrayNode siteNodes = section.putArray(EdgeVmsSchema.SITES.name());
        sites.forEach(site -> siteNodes.add(site.toNode()));
        ArrayNode clusterNodes = section.putArray(EdgeVmsSchema.EDGE_CLUSTERS.name());
        edgeClusters.forEach(cluster -> clusterNodes.add(cluster.toNode()));
        ArrayNode quotaNodes = section.putArray(EdgeVmsSchema.QUOTAS.name());
        quotas.forEach(quota -> quotaNodes.add(quota.toNode()));
        section.put(EdgeVmsSchema.NEW_CLUSTER_PREFIX.name(), newClusterPrefix);
        section.put(EdgeVmsSchema.NEW_CLUSTER_CLUSTER.name(), newClusterCluster);
        section.put(EdgeVmsSchema.NEW_CLUSTER_MAX_NODES.name(), newClusterMaxNodes);
        section.put(EdgeVmsSchema.NEW_CLUSTER_JOIN_METHOD.name(), newClusterJoinMethod);
        section.put(EdgeVmsSchema.NEW_CLUSTER_SERVER.name(), newClusterServer);
        section.put(EdgeVmsSchema.NEW_CLUSTER_TOKEN_CREDENTIALS_ID.name(), newClusterTokenCredentialsId);
        section.put(EdgeVmsSchema.NEW_CLUSTER_TOKEN_FILE.name(), newClusterTokenFile);
        section.put(EdgeVmsSchema.NEW_CLUSTER_CA_CERT_HASH.name(), newClusterCaCertHash);
        section.put(EdgeVmsSchema.START_TIMEOUT.name(), startTimeout);
        section.put(EdgeVmsSchema.JOIN_TIMEOUT.name(), joinTimeout);
        section.put(EdgeVmsSchema.WAIT_TIMEOUT.name(), waitTimeout);
        section.put(EdgeVmsSchema.MAX_ATTEMPTS.name(), maxAttempts);
        section.put(EdgeVmsSchema.SCORING_LOAD_WEIGHT.name(), scoringLoadWeight);
        section.put(EdgeVmsSchema.SCORING_DISTANCE_WEIGHT.name(), scoringDistanceWeight);
        section.put(EdgeVmsSchema.SCORING_DISTANCE_SCALE_KM.name(), scoringDistanceScaleKm);
        section.put(EdgeVmsSchema.SYNC_ENABLED.name(), syncEnabled);
        section.put(EdgeVmsSchema.INVENTORY_STORE.name(), inventoryStore);
        section.put(EdgeVmsSchema.INVENTORY_NAMESPACE.name(), inventoryNamespace);
        return EdgeVmsSchema.settings(section);
    }

    public List<EdgeSiteConfig> getSites() { return sites; }
    @DataBoundSetter public void setSites(List<EdgeSiteConfig> v) { sites = v == null ? new ArrayList<>() : new ArrayList<>(v); save(); }
    public List<EdgeClusterConfig> getEdgeClusters() { return edgeClusters; }
    @DataBoundSetter public void setEdgeClusters(List<EdgeClusterConfig> v) { edgeClusters = v == null ? new ArrayList<>() : new ArrayList<>(v); save(); }
    public List<TenantQuotaConfig> getQuotas() { return quotas; }

    /** The Allowed folders and jobs of the tenant's quota; empty when the tenant has none configured. */
    public String tenantAllowedJobs(String tenant) {
        return quotas.stream().filter(q -> q.getTenant().equals(tenant)).findFirst()
                .map(TenantQuotaConfig::getAllowedJobs).orElse("");
    }
    @DataBoundSetter public void setQuotas(List<TenantQuotaConfig> v) { quotas = v == null ? new ArrayList<>() : new ArrayList<>(v); save(); }
    public String getNewClusterPrefix() { return newClusterPrefix; }
    /** Empty: no new edge clusters are made (exclusive requests and full fleets fail). */
    @DataBoundSetter public void setNewClusterPrefix(String v) { newClusterPrefix = EdgeSiteConfig.clean(v); save(); }
    public String getNewClusterCluster() { return newClusterCluster; }
    @DataBoundSetter public void setNewClusterCluster(String v) { newClusterCluster = EdgeSiteConfig.clean(v); save(); }
    public int getNewClusterMaxNodes() { return newClusterMaxNodes; }
    @DataBoundSetter public void setNewClusterMaxNodes(int v) { newClusterMaxNodes = v; save(); }
    public String getNewClusterJoinMethod() { return newClusterJoinMethod; }
    @DataBoundSetter public void setNewClusterJoinMethod(String v) { newClusterJoinMethod = EdgeSiteConfig.clean(v); save(); }
    public String getNewClusterServer() { return newClusterServer; }
    @DataBoundSetter public void setNewClusterServer(String v) { newClusterServer = EdgeSiteConfig.clean(v); save(); }
    public String getNewClusterTokenCredentialsId() { return newClusterTokenCredentialsId; }
    @DataBoundSetter public void setNewClusterTokenCredentialsId(String v) { newClusterTokenCredentialsId = EdgeSiteConfig.clean(v); save(); }
    public String getNewClusterTokenFile() { return newClusterTokenFile; }
    /** Command line only (see {@link EdgeClusterConfig#setTokenFile}); Jenkins never reads it. */
    @DataBoundSetter public void setNewClusterTokenFile(String v) { newClusterTokenFile = EdgeSiteConfig.clean(v); save(); }
    public String getNewClusterCaCertHash() { return newClusterCaCertHash; }
    @DataBoundSetter public void setNewClusterCaCertHash(String v) { newClusterCaCertHash = EdgeSiteConfig.clean(v); save(); }
    public String getStartTimeout() { return startTimeout; }
    @DataBoundSetter public void setStartTimeout(String v) { startTimeout = EdgeSiteConfig.clean(v); save(); }
    public String getJoinTimeout() { return joinTimeout; }
    @DataBoundSetter public void setJoinTimeout(String v) { joinTimeout = EdgeSiteConfig.clean(v); save(); }
    public String getWaitTimeout() { return waitTimeout; }
    @DataBoundSetter public void setWaitTimeout(String v) { waitTimeout = EdgeSiteConfig.clean(v); save(); }
    public int getMaxAttempts() { return maxAttempts; }
    @DataBoundSetter public void setMaxAttempts(int v) { maxAttempts = v; save(); }
    public String getScoringLoadWeight() { return scoringLoadWeight; }
    @DataBoundSetter public void setScoringLoadWeight(String v) { scoringLoadWeight = EdgeSiteConfig.clean(v); save(); }
    public String getScoringDistanceWeight() { return scoringDistanceWeight; }
    @DataBoundSetter public void setScoringDistanceWeight(String v) { scoringDistanceWeight = EdgeSiteConfig.clean(v); save(); }
    public String getScoringDistanceScaleKm() { return scoringDistanceScaleKm; }
    @DataBoundSetter public void setScoringDistanceScaleKm(String v) { scoringDistanceScaleKm = EdgeSiteConfig.clean(v); save(); }
    public boolean isSyncEnabled() { return syncEnabled; }
    @DataBoundSetter public void setSyncEnabled(boolean v) { syncEnabled = v; save(); }

    public String getInventoryStore() { return inventoryStore; }
    /** {@code file} (JENKINS_HOME/kubeplatform/edge-inventory.json, the default) or {@code cluster} (ConfigMaps). */
    @DataBoundSetter public void setInventoryStore(String v) { inventoryStore = v == null || v.isBlank() ? "file" : v.trim(); save(); }
    public String getInventoryNamespace() { return inventoryNamespace; }
    /** The namespace of the cluster inventory's ConfigMaps, in the default cluster. */
    @DataBoundSetter public void setInventoryNamespace(String v) {
        inventoryNamespace = v == null || v.isBlank() ? InventoryStoreSettings.DEFAULT_NAMESPACE : v.trim();
        save();
    }

    /** Where the inventory lives; an invalid value is an input error naming the field. */
    public InventoryStoreSettings inventorySettings() {
        return InventoryStoreSettings.of(inventoryStore, inventoryNamespace);
    }

    @POST
    public FormValidation doCheckInventoryStore(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return StoreForms.check(value, InventoryStoreSettings::store);
    }

    @POST
    public ListBoxModel doFillInventoryStoreItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return StoreForms.items();
    }

    @POST
    public FormValidation doCheckInventoryNamespace(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return StoreForms.check(value, namespace -> InventoryStoreSettings.of("file", namespace));
    }

    @POST
    public ListBoxModel doFillNewClusterClusterItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ClusterForms.clusterItems();
    }

    @POST
    public FormValidation doCheckNewClusterCluster(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ClusterForms.clusterReference(value);
    }

    @POST
    public ListBoxModel doFillNewClusterTokenCredentialsIdItems(@QueryParameter String newClusterTokenCredentialsId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormChecks.secretTextItems(newClusterTokenCredentialsId);
    }

    @POST
    public FormValidation doCheckStartTimeout(@QueryParameter String value) {
        return check(EdgeVmsSchema.START_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckJoinTimeout(@QueryParameter String value) {
        return check(EdgeVmsSchema.JOIN_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckWaitTimeout(@QueryParameter String value) {
        return check(EdgeVmsSchema.WAIT_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckMaxAttempts(@QueryParameter String value) {
        return check(EdgeVmsSchema.MAX_ATTEMPTS, value);
    }

    @POST
    public FormValidation doCheckNewClusterPrefix(@QueryParameter String value) {
        return check(EdgeVmsSchema.NEW_CLUSTER_PREFIX, value);
    }

    @POST
    public FormValidation doCheckNewClusterMaxNodes(@QueryParameter String value) {
        return check(EdgeVmsSchema.NEW_CLUSTER_MAX_NODES, value);
    }

    @POST
    public FormValidation doCheckNewClusterJoinMethod(@QueryParameter String value) {
        return check(EdgeVmsSchema.NEW_CLUSTER_JOIN_METHOD, value);
    }

    @POST
    public FormValidation doCheckScoringLoadWeight(@QueryParameter String value) {
        return check(EdgeVmsSchema.SCORING_LOAD_WEIGHT, value);
    }

    @POST
    public FormValidation doCheckScoringDistanceWeight(@QueryParameter String value) {
        return check(EdgeVmsSchema.SCORING_DISTANCE_WEIGHT, value);
    }

    @POST
    public FormValidation doCheckScoringDistanceScaleKm(@QueryParameter String value) {
        return check(EdgeVmsSchema.SCORING_DISTANCE_SCALE_KM, value);
    }

    /** A field's check is its declared rule; blank means the declared default. */
    static FormValidation check(SettingsSection section, Setting<?> setting, String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return section.check(setting.name(), value).map(FormValidation::error).orElse(FormValidation.ok());
    }

    private static FormValidation check(Setting<?> setting, String value) {
        return check(EdgeVmsSchema.SECTION, setting, value);
    }
}
