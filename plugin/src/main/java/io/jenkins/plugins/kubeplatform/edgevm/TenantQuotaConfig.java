package io.jenkins.plugins.kubeplatform.edgevm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmsSchema;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** One tenant's edge quota in the global configuration: vCPUs, memory and VM count (running and idle together). */
public class TenantQuotaConfig extends AbstractDescribableImpl<TenantQuotaConfig> {

    private final String tenant;
    private final int cpu;
    private final String memory;
    private final int vms;
    /** Null in configurations saved before it existed: every job. */
    private String allowedJobs = "";

    @DataBoundConstructor
    public TenantQuotaConfig(String tenant, int cpu, String memory, int vms) {
        this.tenant = EdgeSiteConfig.clean(tenant);
        this.cpu = cpu;
        this.memory = EdgeSiteConfig.clean(memory);
        this.vms = vms;
    }

    /** The quota as an item of {@code edgeVms.quotas} ({@link EdgeVmsSchema#QUOTA}), read like the CLI's. */
    ObjectNode toNode() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put(EdgeVmsSchema.QUOTA_TENANT.name(), tenant);
        node.put(EdgeVmsSchema.QUOTA_CPU.name(), cpu);
        node.put(EdgeVmsSchema.QUOTA_MEMORY.name(), memory);
        node.put(EdgeVmsSchema.QUOTA_VMS.name(), vms);
        node.put(EdgeVmsSchema.QUOTA_ALLOWED_JOBS.name(), getAllowedJobs());
        return node;
    }

    public String getTenant() { return tenant; }
    public int getCpu() { return cpu; }
    public String getMemory() { return memory; }
    public int getVms() { return vms; }
    public String getAllowedJobs() { return allowedJobs == null ? "" : allowedJobs; }

    /** Folders and jobs that may run VMs for this tenant and spend its quota (one per line); empty: every job. */
    @DataBoundSetter
    public void setAllowedJobs(String allowedJobs) {
        this.allowedJobs = allowedJobs == null ? "" : allowedJobs.trim();
    }

    /** The tenant as something a build asks to use. */
    public static FolderAccess.Item access(String tenant, String allowedJobs) {
        return new FolderAccess.Item("edge tenant", tenant, allowedJobs, "the tenant quota's Allowed folders and jobs "
                + "(Manage Jenkins \u203a System \u203a Edge VMs \u203a quotas \u203a " + tenant
                + ", JCasC edgeVms.quotas[].allowedJobs)");
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<TenantQuotaConfig> {

        @Override
        public String getDisplayName() {
            return Messages.TenantQuotaConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormChecks.allowedJobs(value, "tenant");
        }

        @POST
        public FormValidation doCheckTenant(@QueryParameter String value) {
            return check(EdgeVmsSchema.QUOTA_TENANT, value);
        }

        @POST
        public FormValidation doCheckCpu(@QueryParameter String value) {
            return check(EdgeVmsSchema.QUOTA_CPU, value);
        }

        @POST
        public FormValidation doCheckMemory(@QueryParameter String value) {
            return check(EdgeVmsSchema.QUOTA_MEMORY, value);
        }

        @POST
        public FormValidation doCheckVms(@QueryParameter String value) {
            return check(EdgeVmsSchema.QUOTA_VMS, value);
        }

        private static FormValidation check(Setting<?> setting, String value) {
            return EdgeVmConfiguration.check(EdgeVmsSchema.QUOTA, setting, value);
        }
    }
}
