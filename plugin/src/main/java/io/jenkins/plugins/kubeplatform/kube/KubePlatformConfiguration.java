package io.jenkins.plugins.kubeplatform.kube;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › Kubernetes Platform Steps: the named cluster connections every step can target.
 * Configuration as Code: {@code unclassified: kubePlatform: {defaultCluster: ..., clusters: [...]}}.
 */
@Extension
@Symbol("kubePlatform")
public class KubePlatformConfiguration extends GlobalConfiguration {

    private List<ClusterConnectionConfig> clusters = new ArrayList<>();
    private String defaultCluster = "";

    public KubePlatformConfiguration() {
        load();
    }

    public static KubePlatformConfiguration get() {
        return ExtensionList.lookupSingleton(KubePlatformConfiguration.class);
    }

    public List<ClusterConnectionConfig> getClusters() {
        return clusters;
    }

    @DataBoundSetter
    public void setClusters(List<ClusterConnectionConfig> clusters) {
        this.clusters = clusters == null ? new ArrayList<>() : new ArrayList<>(clusters);
        save();
    }

    public String getDefaultCluster() {
        return defaultCluster;
    }

    /** Used when a step names no cluster; empty means the first configured one. */
    @DataBoundSetter
    public void setDefaultCluster(String defaultCluster) {
        this.defaultCluster = defaultCluster == null ? "" : defaultCluster.trim();
        save();
    }

    /** The named cluster, or the default one when {@code name} is blank. */
    public Optional<ClusterConnectionConfig> findCluster(String name) {
        return ClusterSelection.select(clusters, ClusterConnectionConfig::getName, defaultCluster, name);
    }

    @POST
    public ListBoxModel doFillDefaultClusterItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        ListBoxModel items = new ListBoxModel();
        items.add(Messages.KubePlatformConfiguration_FirstCluster(), "");
        for (ClusterConnectionConfig c : clusters) {
            items.add(c.getName());
        }
        return items;
    }

    @POST
    public FormValidation doCheckDefaultCluster(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null || value.isBlank() || clusters.stream().anyMatch(c -> c.getName().equals(value.trim()))) {
            return FormValidation.ok();
        }
        return FormValidation.error(Messages.KubePlatformConfiguration_UnknownCluster(value));
    }
}
