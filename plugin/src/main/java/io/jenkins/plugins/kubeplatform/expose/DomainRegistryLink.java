package io.jenkins.plugins.kubeplatform.expose;

import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import java.util.List;
import jenkins.model.Jenkins;

/** Manage Jenkins › App domains: every registered host with its owner, Service and route (read only). */
@Extension
public final class DomainRegistryLink extends ManagementLink {

    @Override
    public String getIconFileName() {
        return "symbol-globe-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return Messages.DomainRegistryLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.DomainRegistryLink_Description();
    }

    @Override
    public String getUrlName() {
        return "kubeplatform-domains";
    }

    @Override
    public Permission getRequiredPermission() {
        return Jenkins.ADMINISTER;
    }

    @Override
    public Category getCategory() {
        return Category.STATUS;
    }

    /** The registry entries, for index.jelly. */
    public List<DomainRegistry.Entry> getEntries() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return List.copyOf(DomainRegistry.fileStore(JenkinsStateDirectory.path()).read().hosts().values());
    }
}
