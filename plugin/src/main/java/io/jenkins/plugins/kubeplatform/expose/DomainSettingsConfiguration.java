package io.jenkins.plugins.kubeplatform.expose;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Descriptor.FormException;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › App domains: the {@code domains} settings of exposeApp (suffix, template, route kind,
 * TLS, Gateway, nginx mode, background sync). The keys, their rules and defaults are declared once in
 * {@link DomainsSchema}; this class keeps the persisted fields and their setters. Configuration as Code:
 * {@code unclassified: domains: {...}}.
 */
@Extension
@Symbol("domains")
public class DomainSettingsConfiguration extends GlobalConfiguration {

    private String suffix = initial(DomainsSchema.SUFFIX);
    private String template = initial(DomainsSchema.TEMPLATE);
    private String route = initial(DomainsSchema.ROUTE);
    private String ingressClassName = initial(DomainsSchema.INGRESS_CLASS_NAME);
    private String tlsSecretName = "";
    private String clusterIssuer = "";
    private String issuer = "";
    private String gatewayNamespace = initial(DomainsSchema.GATEWAY_NAMESPACE);
    private String gatewayName = initial(DomainsSchema.GATEWAY_NAME);
    private String gatewaySectionName = "";
    private String claimNamespace = initial(DomainsSchema.CLAIM_NAMESPACE);
    private String onConflict = initial(DomainsSchema.ON_CONFLICT);
    private String admitTimeout = initial(DomainsSchema.ADMIT_TIMEOUT);
    private String nginxConfDir = "";
    private String nginxBinary = "";
    private String nginxMainConfig = "";
    private String nginxListen = "";
    private String nginxHttpsListen = "";
    private boolean nginxRedirectToHttps;
    private String nginxCertificateFile = "";
    private String nginxKeyFile = "";
    private boolean nginxClusterIpFallback;
    private String nginxReloadInterval = "";
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

    /**
     * The engine's settings, read from the fields as the CLI reads its file ({@link DomainsSchema}): a bad value is an
     * input error naming the field; the rules between fields are checked by {@link ExposeSettings#validated()}.
     */
    public ExposeSettings toSettings() {
        com.fasterxml.jackson.databind.node.ObjectNode section = io.jenkins.plugins.kubeplatform.engine.store.Json.mapper()
                .createObjectNode();
        section.put(DomainsSchema.SUFFIX.name(), suffix);
        section.put(DomainsSchema.TEMPLATE.name(), template);
        section.put(DomainsSchema.ROUTE.name(), route);
        section.put(DomainsSchema.INGRESS_CLASS_NAME.name(), ingressClassName);
        section.put(DomainsSchema.TLS_SECRET_NAME.name(), tlsSecretName);
        section.put(DomainsSchema.CLUSTER_ISSUER.name(), clusterIssuer);
        section.put(DomainsSchema.ISSUER.name(), issuer);
        section.put(DomainsSchema.GATEWAY_NAMESPACE.name(), gatewayNamespace);
        section.put(DomainsSchema.GATEWAY_NAME.name(), gatewayName);
        section.put(DomainsSchema.GATEWAY_SECTION_NAME.name(), gatewaySectionName);
        section.put(DomainsSchema.CLAIM_NAMESPACE.name(), claimNamespace);
        section.put(DomainsSchema.ON_CONFLICT.name(), onConflict);
        section.put(DomainsSchema.ADMIT_TIMEOUT.name(), admitTimeout);
        section.put(DomainsSchema.NGINX_CONF_DIR.name(), nginxConfDir);
        section.put(DomainsSchema.NGINX_BINARY.name(), nginxBinary);
        section.put(DomainsSchema.NGINX_MAIN_CONFIG.name(), nginxMainConfig);
        section.put(DomainsSchema.NGINX_LISTEN.name(), nginxListen);
        section.put(DomainsSchema.NGINX_HTTPS_LISTEN.name(), nginxHttpsListen);
        section.put(DomainsSchema.NGINX_REDIRECT_TO_HTTPS.name(), nginxRedirectToHttps);
        section.put(DomainsSchema.NGINX_CERTIFICATE_FILE.name(), nginxCertificateFile);
        section.put(DomainsSchema.NGINX_KEY_FILE.name(), nginxKeyFile);
        section.put(DomainsSchema.NGINX_CLUSTER_IP_FALLBACK.name(), nginxClusterIpFallback);
        section.put(DomainsSchema.NGINX_RELOAD_INTERVAL.name(), nginxReloadInterval);
        section.put(DomainsSchema.MANAGED_NAMESPACES.name(), managedNamespaces);
        section.put(DomainsSchema.SYNC_ENABLED.name(), syncEnabled);
        section.put(DomainsSchema.SYNC_CLUSTER.name(), syncCluster);
        section.put(DomainsSchema.SUFFIX_ALLOWED_JOBS.name(), getSuffixAllowedJobs());
        return DomainsSchema.settings(section);
    }

    /** A field's initial value: its declared default. */
    private static String initial(io.jenkins.plugins.kubeplatform.engine.schema.Setting<String> setting) {
        return setting.defaultText().orElse("");
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
    public String getNginxHttpsListen() { return nginxHttpsListen; }
    @DataBoundSetter public void setNginxHttpsListen(String v) { nginxHttpsListen = clean(v); save(); }
    public boolean isNginxRedirectToHttps() { return nginxRedirectToHttps; }
    @DataBoundSetter public void setNginxRedirectToHttps(boolean v) { nginxRedirectToHttps = v; save(); }
    public String getNginxCertificateFile() { return nginxCertificateFile; }
    @DataBoundSetter public void setNginxCertificateFile(String v) { nginxCertificateFile = clean(v); save(); }
    public String getNginxKeyFile() { return nginxKeyFile; }
    @DataBoundSetter public void setNginxKeyFile(String v) { nginxKeyFile = clean(v); save(); }
    public boolean isNginxClusterIpFallback() { return nginxClusterIpFallback; }
    @DataBoundSetter public void setNginxClusterIpFallback(boolean v) { nginxClusterIpFallback = v; save(); }
    public String getNginxReloadInterval() { return nginxReloadInterval; }
    @DataBoundSetter public void setNginxReloadInterval(String v) { nginxReloadInterval = clean(v); save(); }
    public String getManagedNamespaces() { return managedNamespaces; }
    @DataBoundSetter public void setManagedNamespaces(String v) { managedNamespaces = clean(v); save(); }
    public boolean isSyncEnabled() { return syncEnabled; }
    @DataBoundSetter public void setSyncEnabled(boolean v) { syncEnabled = v; save(); }
    /** Cluster the background sync watches; empty means the default cluster. */
    public String getSyncCluster() { return syncCluster; }
    @DataBoundSetter public void setSyncCluster(String v) { syncCluster = clean(v); save(); }

    @POST
    public FormValidation doCheckSuffix(@QueryParameter String value) {
        return check(DomainsSchema.SUFFIX, value);
    }

    @POST
    public FormValidation doCheckSuffixAllowedJobs(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FormChecks.allowedJobs(value, "domain suffix");
    }

    @POST
    public FormValidation doCheckTemplate(@QueryParameter String value) {
        return check(DomainsSchema.TEMPLATE, value);
    }

    @POST
    public FormValidation doCheckRoute(@QueryParameter String value) {
        return check(DomainsSchema.ROUTE, value);
    }

    @POST
    public FormValidation doCheckIngressClassName(@QueryParameter String value) {
        return check(DomainsSchema.INGRESS_CLASS_NAME, value);
    }

    @POST
    public FormValidation doCheckTlsSecretName(@QueryParameter String value) {
        return check(DomainsSchema.TLS_SECRET_NAME, value);
    }

    @POST
    public FormValidation doCheckClusterIssuer(@QueryParameter String value) {
        return check(DomainsSchema.CLUSTER_ISSUER, value);
    }

    @POST
    public FormValidation doCheckIssuer(@QueryParameter String value) {
        return check(DomainsSchema.ISSUER, value);
    }

    @POST
    public FormValidation doCheckGatewayName(@QueryParameter String value) {
        return check(DomainsSchema.GATEWAY_NAME, value);
    }

    @POST
    public FormValidation doCheckGatewaySectionName(@QueryParameter String value) {
        return check(DomainsSchema.GATEWAY_SECTION_NAME, value);
    }

    @POST
    public FormValidation doCheckOnConflict(@QueryParameter String value) {
        return check(DomainsSchema.ON_CONFLICT, value);
    }

    @POST
    public FormValidation doCheckNginxConfDir(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_CONF_DIR, value);
    }

    @POST
    public FormValidation doCheckNginxBinary(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_BINARY, value);
    }

    @POST
    public FormValidation doCheckNginxMainConfig(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_MAIN_CONFIG, value);
    }

    @POST
    public FormValidation doCheckNginxListen(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_LISTEN, value);
    }

    @POST
    public FormValidation doCheckNginxHttpsListen(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_HTTPS_LISTEN, value);
    }

    @POST
    public FormValidation doCheckNginxCertificateFile(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_CERTIFICATE_FILE, value);
    }

    @POST
    public FormValidation doCheckNginxKeyFile(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_KEY_FILE, value);
    }

    @POST
    public FormValidation doCheckNginxReloadInterval(@QueryParameter String value) {
        return check(DomainsSchema.NGINX_RELOAD_INTERVAL, value);
    }

    @POST
    public FormValidation doCheckManagedNamespaces(@QueryParameter String value) {
        return check(DomainsSchema.MANAGED_NAMESPACES, value);
    }

    /** A field's check is its declared rule; blank means the declared default. */
    private static FormValidation check(io.jenkins.plugins.kubeplatform.engine.schema.Setting<?> setting, String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return DomainsSchema.SECTION.check(setting.name(), value).map(FormValidation::error)
                .orElse(FormValidation.ok());
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
        return check(DomainsSchema.ADMIT_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckClaimNamespace(@QueryParameter String value) {
        return check(DomainsSchema.CLAIM_NAMESPACE, value);
    }

    @POST
    public FormValidation doCheckGatewayNamespace(@QueryParameter String value) {
        return check(DomainsSchema.GATEWAY_NAMESPACE, value);
    }
}
