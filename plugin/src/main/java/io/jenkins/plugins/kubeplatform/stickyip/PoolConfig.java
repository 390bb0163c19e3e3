package io.jenkins.plugins.kubeplatform.stickyip;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpSchema;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One IP pool in the global configuration (SIP-3). Lists are entered one item per line (or comma separated), which
 * also reads naturally in Configuration as Code. The keys, their rules and defaults are declared once in
 * {@link StickyIpSchema} ({@code stickyIp.pools[]}); this class keeps the persisted fields and their setters.
 */
public class PoolConfig extends AbstractDescribableImpl<PoolConfig> {

    private final String name;
    private final String ranges;
    private String exclude = "";
    private String cni = defaultOf(StickyIpSchema.POOL_CNI);
    private String allocation = defaultOf(StickyIpSchema.POOL_ALLOCATION);
    private String keepNamespaces = "";
    private String reclaimAfter = defaultOf(StickyIpSchema.POOL_RECLAIM_AFTER);
    private String nodePinning = defaultOf(StickyIpSchema.POOL_NODE_PINNING);
    private boolean reallocateWhenNodeLost;
    /** Null in configurations saved before it existed: the default (enforce). */
    private String cniCheck = defaultOf(StickyIpSchema.POOL_CNI_CHECK);
    /** Null in configurations saved before it existed: every job. */
    private String allowedJobs = "";

    @DataBoundConstructor
    public PoolConfig(String name, String ranges) {
        this.name = name == null ? "" : name.trim();
        this.ranges = ranges == null ? "" : ranges.trim();
    }

    public String getName() {
        return name;
    }

    public String getRanges() {
        return ranges;
    }

    public String getExclude() {
        return exclude;
    }

    @DataBoundSetter
    public void setExclude(String exclude) {
        this.exclude = exclude == null ? "" : exclude.trim();
    }

    public String getCni() {
        return cni;
    }

    @DataBoundSetter
    public void setCni(String cni) {
        this.cni = orDefault(cni, StickyIpSchema.POOL_CNI);
    }

    public String getAllocation() {
        return allocation;
    }

    @DataBoundSetter
    public void setAllocation(String allocation) {
        this.allocation = orDefault(allocation, StickyIpSchema.POOL_ALLOCATION);
    }

    public String getKeepNamespaces() {
        return keepNamespaces;
    }

    @DataBoundSetter
    public void setKeepNamespaces(String keepNamespaces) {
        this.keepNamespaces = keepNamespaces == null ? "" : keepNamespaces.trim();
    }

    public String getReclaimAfter() {
        return reclaimAfter;
    }

    @DataBoundSetter
    public void setReclaimAfter(String reclaimAfter) {
        this.reclaimAfter = orDefault(reclaimAfter, StickyIpSchema.POOL_RECLAIM_AFTER);
    }

    public String getNodePinning() {
        return nodePinning;
    }

    @DataBoundSetter
    public void setNodePinning(String nodePinning) {
        this.nodePinning = orDefault(nodePinning, StickyIpSchema.POOL_NODE_PINNING);
    }

    public boolean isReallocateWhenNodeLost() {
        return reallocateWhenNodeLost;
    }

    @DataBoundSetter
    public void setReallocateWhenNodeLost(boolean reallocateWhenNodeLost) {
        this.reallocateWhenNodeLost = reallocateWhenNodeLost;
    }

    public String getCniCheck() {
        return cniCheck == null ? defaultOf(StickyIpSchema.POOL_CNI_CHECK) : cniCheck;
    }

    /** {@code enforce}, {@code warn} or {@code off}: the check that the CNI never auto-assigns the pool (SIP-13). */
    @DataBoundSetter
    public void setCniCheck(String cniCheck) {
        this.cniCheck = orDefault(cniCheck, StickyIpSchema.POOL_CNI_CHECK);
    }

    public String getAllowedJobs() {
        return allowedJobs == null ? "" : allowedJobs;
    }

    /** Folders and jobs that may deploy with addresses from this pool (one per line); empty: every job. */
    @DataBoundSetter
    public void setAllowedJobs(String allowedJobs) {
        this.allowedJobs = allowedJobs == null ? "" : allowedJobs.trim();
    }

    /** The pool as something a build asks to use. */
    public static FolderAccess.Item access(String pool, String allowedJobs) {
        return new FolderAccess.Item("IP pool", pool, allowedJobs, "the pool's Allowed folders and jobs (Manage Jenkins "
                + "\u203a System \u203a Sticky IP pools \u203a " + pool + ", JCasC stickyIp.pools[].allowedJobs)");
    }

    /** This pool as an item of the {@code stickyIp.pools} list, keyed as {@link StickyIpSchema} declares. */
    void writeTo(ObjectNode item) {
        item.put(StickyIpSchema.POOL_NAME.name(), name);
        item.put(StickyIpSchema.POOL_RANGES.name(), ranges);
        item.put(StickyIpSchema.POOL_EXCLUDE.name(), exclude);
        item.put(StickyIpSchema.POOL_CNI.name(), cni);
        item.put(StickyIpSchema.POOL_ALLOCATION.name(), allocation);
        item.put(StickyIpSchema.POOL_KEEP_NAMESPACES.name(), keepNamespaces);
        item.put(StickyIpSchema.POOL_RECLAIM_AFTER.name(), reclaimAfter);
        item.put(StickyIpSchema.POOL_NODE_PINNING.name(), nodePinning);
        item.put(StickyIpSchema.POOL_REALLOCATE_WHEN_NODE_LOST.name(), reallocateWhenNodeLost);
        item.put(StickyIpSchema.POOL_CNI_CHECK.name(), getCniCheck());
        item.put(StickyIpSchema.POOL_ALLOWED_JOBS.name(), getAllowedJobs());
    }

    /** The engine's form of this pool, each key checked by its declared rule (not yet between keys). */
    public PoolSettings toSettings() {
        ObjectNode section = Json.mapper().createObjectNode();
        writeTo(section.putArray(StickyIpSchema.POOLS.name()).addObject());
        return StickyIpSchema.poolSettings(section).get(0);
    }

    private static String defaultOf(Setting<?> setting) {
        return setting.defaultText().orElseThrow();
    }

    private static String orDefault(String value, Setting<?> setting) {
        return value == null || value.isBlank() ? defaultOf(setting) : value.trim();
    }

    /** A form check's result: the declared rule's message, or OK. */
    static FormValidation declared(Optional<String> problem) {
        return problem.map(FormValidation::error).orElse(FormValidation.ok());
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<PoolConfig> {

        @Override
        public String getDisplayName() {
            return Messages.PoolConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return check(StickyIpSchema.POOL_NAME, value);
        }

        @POST
        public FormValidation doCheckRanges(@QueryParameter String value) {
            return check(StickyIpSchema.POOL_RANGES, value);
        }

        @POST
        public FormValidation doCheckExclude(@QueryParameter String value) {
            return check(StickyIpSchema.POOL_EXCLUDE, value);
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormChecks.allowedJobs(value, "pool");
        }

        @POST
        public FormValidation doCheckReclaimAfter(@QueryParameter String value) {
            return check(StickyIpSchema.POOL_RECLAIM_AFTER, value);
        }

        @POST
        public FormValidation doCheckKeepNamespaces(@QueryParameter String value) {
            return check(StickyIpSchema.POOL_KEEP_NAMESPACES, value);
        }

        @POST
        public ListBoxModel doFillCniItems() {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            ListBoxModel items = new ListBoxModel();
            items.add("Calico (cni.projectcalico.org/ipAddrs)", "calico");
            items.add("Kube-OVN (ovn.kubernetes.io/ip_address)", "kube-ovn");
            return items;
        }

        @POST
        public ListBoxModel doFillAllocationItems() {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.PoolConfig_Lowest(), "lowest");
            items.add(Messages.PoolConfig_Random(), "random");
            return items;
        }

        @POST
        public ListBoxModel doFillNodePinningItems() {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.PoolConfig_Preferred(), "preferred");
            items.add(Messages.PoolConfig_Required(), "required");
            items.add(Messages.PoolConfig_Off(), "off");
            return items;
        }

        @POST
        public ListBoxModel doFillCniCheckItems() {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.PoolConfig_Enforce(), "enforce");
            items.add(Messages.PoolConfig_Warn(), "warn");
            items.add(Messages.PoolConfig_CniCheckOff(), "off");
            return items;
        }

        /** A field's check is its declared rule ({@code stickyIp.pools[]}); blank means the declared default. */
        private static FormValidation check(Setting<?> setting, String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return declared(StickyIpSchema.checkPool(setting, value));
        }
    }
}
