package io.jenkins.plugins.kubeplatform.expose;

import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import org.kohsuke.stapler.StaplerRequest2;
import net.sf.json.JSONObject;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import hudson.model.Descriptor.FormException;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › App domains: the {@code domains} settings of exposeApp (suffix, template, route kind,
 * TLS, Gateway, nginx mode, background sync). Configuration as Code: {@code unclassified: domains: {...}}.
 */
@Extension
@Symbol("domains")
public class DomainSettingsConfiguration extends GlobalConfiguration {

    private String suffix = ExposeSettings.DEFAULT_SUFFIX;
    private String template = DomainTemplate.DEFAULT;
    private String route = "ingress";
    private String ingressClassName = ExposeSettings.DEFAULT_INGRESS_CLASS;
    private String tlsSecretName = "";
    private String clusterIssuer = "";
    private String issuer = "";
    private String gatewayNamespace = ExposeSettings.DEFAULT_GATEWAY_NAMESPACE;
    private String gatewayName = ExposeSettings.DEFAULT_GATEWAY_NAME;
    private String gatewaySectionName = "";
    private String claimNamespace = ExposeSettings.DEFAULT_CLAIM_NAMESPACE;
    private String onConflict = "fail";
    private String admitTimeout = "2m";
    private String nginxConfDir = "";
    private String nginxBinary = "";
    private String nginxMainConfig = "";
    private String nginxListen = "";
    private String managedNamespaces = "";
    private boolean syncEnabled;
    private String syncCluster = "";
    /** Null in configurations saved before it existed: every job. */
    private String suffixAllowedJobs = "";

    public DomainSettingsConfiguration() {
        load();
    }

    /** Neither loaded nor saved: what a form submission is bound to before it is checked. */
    DomainSettingsConfiguration(Void detached) {
    }

    /**
     * A submitted form replaces the whole configuration (an emptied list is emptied), after every value is checked,
     * with one save.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        DomainSettingsConfiguration candidate = new DomainSettingsConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // a candidate is never persisted
            }
        };
        ConfigurationForms.replace(DomainSettingsConfiguration.class, this, candidate, req, json, DomainSettingsConfiguration::check);
        return true;
    }

    /** Everything the form can get wrong, before anything changes; the exception names the field. */
    void check() throws FormException {
        try {
            toSettings().validated();
        } catch (InvalidInputException e) {
            throw ConfigurationForms.invalid(e);
        }
    }

    public static DomainSettingsConfiguration get() {
        return ExtensionList.lookupSingleton(DomainSettingsConfiguration.class);
    }

    /** The engine's settings; validated by the engine before anything changes. */
    public ExposeSettings toSettings() {
        return ExposeSettings.builder().suffix(suffix).template(template).route(route)
                .ingressClassName(ingressClassName).tls(new ExposeSettings.Tls(tlsSecretName, clusterIssuer, issuer))
                .gateway(new ExposeSettings.Gateway(gatewayNamespace, gatewayName, gatewaySectionName))
                .claimNamespace(claimNamespace).onConflict(onConflict).admitTimeout(admitTimeout)
                .nginx(nginxConfDir.isBlank() ? null : new ExposeSettings.Nginx(nginxConfDir, nginxBinary, nginxMainConfig, nginxListen))
                .managedNamespaces(managedNamespacesList()).build();
    }

    private java.util.List<String> managedNamespacesList() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String ns : (managedNamespaces == null ? "" : managedNamespaces).split(",")) {
            if (!ns.isBlank()) {
                out.add(ns.trim());
            }
        }
        // an empty list is "not given", as a key left out of the YAML
        return out.isEmpty() ? null : out;
    }

    public String getSuffix() { return suffix; }
    @DataBoundSetter public void setSuffix(String v) { suffix = clean(v); save(); }
    public String getSuffixAllowedJobs() { return suffixAllowedJobs == null ? "" : suffixAllowedJobs; }
    /** Folders and jobs that may claim hosts under the suffix (one per line); empty: every job. */
    @DataBoundSetter public void setSuffixAllowedJobs(String v) { suffixAllowedJobs = clean(v); save(); }

    /** The domain suffix as something a build asks to use. */
    public static FolderAccess.Item suffixAccess(String suffix, String allowedJobs) {
        return new FolderAccess.Item("domain suffix", suffix == null || suffix.isBlank() ? ExposeSettings.DEFAULT_SUFFIX
                : suffix, allowedJobs, "the suffix's Allowed folders and jobs "
                + "(Manage Jenkins \u203a System \u203a App domains, JCasC domains.suffixAllowedJobs)");
    }
    public String getTemplate() { return template; }
    @DataBoundSetter public void setTemplate(String v) { template = clean(v); save(); }
    public String getRoute() { return route; }
    @DataBoundSetter public void setRoute(String v) { route = clean(v); save(); }
    public String getIngressClassName() { return ingressClassName; }
    @DataBoundSetter public void setIngressClassName(String v) { ingressClassName = clean(v); save(); }
    public String getTlsSecretName() { return tlsSecretName; }
    @DataBoundSetter public void setTlsSecretName(String v) { tlsSecretName = clean(v); save(); }
    public String getClusterIssuer() { return clusterIssuer; }
    @DataBoundSetter public void setClusterIssuer(String v) { clusterIssuer = clean(v); save(); }
    public String getIssuer() { return issuer; }
    @DataBoundSetter public void setIssuer(String v) { issuer = clean(v); save(); }
    public String getGatewayNamespace() { return gatewayNamespace; }
    @DataBoundSetter public void setGatewayNamespace(String v) { gatewayNamespace = clean(v); save(); }
    public String getGatewayName() { return gatewayName; }
    @DataBoundSetter public void setGatewayName(String v) { gatewayName = clean(v); save(); }
    public String getGatewaySectionName() { return gatewaySectionName; }
    @DataBoundSetter public void setGatewaySectionName(String v) { gatewaySectionName = clean(v); save(); }
    public String getClaimNamespace() { return claimNamespace; }
    @DataBoundSetter public void setClaimNamespace(String v) { claimNamespace = clean(v); save(); }
    public String getOnConflict() { return onConflict; }
    @DataBoundSetter public void setOnConflict(String v) { onConflict = clean(v); save(); }
    public String getAdmitTimeout() { return admitTimeout; }
    @DataBoundSetter public void setAdmitTimeout(String v) { admitTimeout = clean(v); save(); }
    public String getNginxConfDir() { return nginxConfDir; }
    @DataBoundSetter public void setNginxConfDir(String v) { nginxConfDir = clean(v); save(); }
    public String getNginxBinary() { return nginxBinary; }
    @DataBoundSetter public void setNginxBinary(String v) { nginxBinary = clean(v); save(); }
    public String getNginxMainConfig() { return nginxMainConfig; }
    @DataBoundSetter public void setNginxMainConfig(String v) { nginxMainConfig = clean(v); save(); }
    public String getNginxListen() { return nginxListen; }
    @DataBoundSetter public void setNginxListen(String v) { nginxListen = clean(v); save(); }
    public String getManagedNamespaces() { return managedNamespaces; }
    @DataBoundSetter public void setManagedNamespaces(String v) { managedNamespaces = clean(v); save(); }
    public boolean isSyncEnabled() { return syncEnabled; }
    @DataBoundSetter public void setSyncEnabled(boolean v) { syncEnabled = v; save(); }
    /** Cluster the background sync watches; empty means the default cluster. */
    public String getSyncCluster() { return syncCluster; }
    @DataBoundSetter public void setSyncCluster(String v) { syncCluster = clean(v); save(); }

    @POST
    public FormValidation doCheckSuffix(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return check(ExposeSettings.builder().suffix(value).build());
    }

    @POST
    public FormValidation doCheckSuffixAllowedJobs(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormChecks.allowedJobs(value, "domain suffix");
    }

    @POST
    public FormValidation doCheckTemplate(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return check(ExposeSettings.builder().template(value).build());
    }

    @POST
    public FormValidation doCheckNginxListen(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return check(ExposeSettings.builder()
                .nginx(new ExposeSettings.Nginx("/etc/nginx/kubeplatform.d", null, null, value)).build());
    }

    private static FormValidation check(ExposeSettings settings) {
        try {
            settings.validated();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    private static String clean(String v) {
        return v == null ? "" : v.trim();
    }

    @POST
    public ListBoxModel doFillSyncClusterItems() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ClusterForms.clusterItems();
    }

    @POST
    public FormValidation doCheckSyncCluster(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return ClusterForms.clusterReference(value);
    }

    @POST
    public FormValidation doCheckAdmitTimeout(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormChecks.duration("domains.admitTimeout", value, true);
    }

    @POST
    public FormValidation doCheckClaimNamespace(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormChecks.dnsLabel("domains.claimNamespace", value);
    }

    @POST
    public FormValidation doCheckGatewayNamespace(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormChecks.dnsLabel("domains.gateway.namespace", value);
    }
}
