package io.jenkins.plugins.kubeplatform.kube;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Descriptor.FormException;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › Kubernetes Platform Steps: the named cluster connections every step can target.
 * Configuration as Code: {@code unclassified: kubePlatform: {defaultCluster: ..., clusters: [...]}}.
 */
@Extension
@Symbol("kubePlatform")
public class KubePlatformConfiguration extends GlobalConfiguration {

    /** Which credentials are global: Jenkins' own, or a test's stand-in. */
    static volatile CredentialScope credentials = CredentialScope.JENKINS;

    private List<ClusterConnectionConfig> clusters = new ArrayList<>();
    private String defaultCluster = "";

    public KubePlatformConfiguration() {
        load();
    }

    /** Neither loaded nor saved: what a form submission is bound to before it is checked. */
    KubePlatformConfiguration(Void detached) {
    }

    /**
     * A submitted form replaces the whole configuration (an emptied list is emptied), after every value is checked,
     * with one save.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        KubePlatformConfiguration candidate = new KubePlatformConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // a candidate is never persisted
            }
        };
        ConfigurationForms.replace(KubePlatformConfiguration.class, this, candidate, req, json, KubePlatformConfiguration::check);
        return true;
    }

    /** Everything the form can get wrong, before anything changes; the exception names the field. */
    void check() throws FormException {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < clusters.size(); i++) {
            ClusterConnectionConfig c = clusters.get(i);
            String field = "clusters[" + i + "].name";
            if (c.getName().isEmpty()) {
                throw new FormException(field + ": " + Messages.ClusterConnectionConfig_NameRequired(), field);
            }
            if (!names.add(c.getName())) {
                throw new FormException(field + ": two clusters are named '" + c.getName() + "'", field);
            }
            Optional<String> scope = CredentialScope.problem(c.getCredentialsId(), c.getName(), credentials);
            if (scope.isPresent()) {
                String credential = "clusters[" + i + "].credentialsId";
                throw new FormException(credential + ": " + scope.get(), credential);
            }
            Optional<String> allowed = FolderAccess.problem(c.getAllowedJobs());
            if (allowed.isPresent()) {
                String jobs = "clusters[" + i + "].allowedJobs";
                throw new FormException(jobs + ": " + allowed.get(), jobs);
            }
            if (!c.getServerUrl().isEmpty()) {
                try {
                    ClusterConnection.anonymous("check", c.getServerUrl(), "default");
                } catch (InvalidInputException e) {
                    String url = "clusters[" + i + "].serverUrl";
                    throw new FormException(url + ": " + e.rule(), url);
                }
            }
        }
        if (!defaultCluster.isEmpty() && !names.contains(defaultCluster)) {
            throw new FormException(Messages.KubePlatformConfiguration_UnknownCluster(defaultCluster), "defaultCluster");
        }
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
