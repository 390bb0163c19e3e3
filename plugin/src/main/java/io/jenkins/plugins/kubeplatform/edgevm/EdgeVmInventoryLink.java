package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import java.util.List;
import jenkins.model.Jenkins;

/** Manage Jenkins › Edge VM inventory: every VM with tenant, place, resources, start and end (read only). */
@Extension
public final class EdgeVmInventoryLink extends ManagementLink {

    @Override
    public String getIconFileName() {
        return "symbol-server-outline plugin-ionicons-api";
    }

    @Override
    public String getDisplayName() {
        return Messages.EdgeVmInventoryLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.EdgeVmInventoryLink_Description();
    }

    @Override
    public String getUrlName() {
        return "kubeplatform-edge-vms";
    }

    @Override
    public Permission getRequiredPermission() {
        return Jenkins.ADMINISTER;
    }

    @Override
    public Category getCategory() {
        return Category.STATUS;
    }

    /** The inventory, newest first, for index.jelly. */
    public List<VmRecord> getVms() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<VmRecord> vms = new java.util.ArrayList<>(EdgeVmEngine.inventoryStore(JenkinsStateDirectory.path()).read()
                .vms());
        java.util.Collections.reverse(vms);
        return vms;
    }

    /** The same rows as {@code kubeplatform edge-vm inventory --csv}, shown for copying into billing. */
    public String getCsv() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return InventoryExport.csv(EdgeVmEngine.inventoryStore(JenkinsStateDirectory.path()).read());
    }
}
