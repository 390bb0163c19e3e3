package io.jenkins.plugins.kubeplatform.stickyip;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import io.jenkins.plugins.kubeplatform.stickyip.address.AddressRange;
import io.jenkins.plugins.kubeplatform.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.stickyip.address.Ipv6Range;
import java.util.Arrays;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One IP pool in the global configuration (SIP-3). Lists are entered one item per line (or comma separated), which
 * also reads naturally in Configuration as Code.
 */
public class PoolConfig extends AbstractDescribableImpl<PoolConfig> {

    private final String name;
    private final String ranges;
    private String exclude = "";
    private String cni = "calico";
    private String allocation = "lowest";
    private String keepNamespaces = "";
    private String reclaimAfter = "7d";
    private String nodePinning = "preferred";
    private boolean reallocateWhenNodeLost;
    /** Null in configurations saved before it existed: enforce. */
    private String cniCheck = "enforce";
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
        this.cni = cni == null || cni.isBlank() ? "calico" : cni.trim();
    }

    public String getAllocation() {
        return allocation;
    }

    @DataBoundSetter
    public void setAllocation(String allocation) {
        this.allocation = allocation == null || allocation.isBlank() ? "lowest" : allocation.trim();
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
        this.reclaimAfter = reclaimAfter == null || reclaimAfter.isBlank() ? "7d" : reclaimAfter.trim();
    }

    public String getNodePinning() {
        return nodePinning;
    }

    @DataBoundSetter
    public void setNodePinning(String nodePinning) {
        this.nodePinning = nodePinning == null || nodePinning.isBlank() ? "preferred" : nodePinning.trim();
    }

    public boolean isReallocateWhenNodeLost() {
        return reallocateWhenNodeLost;
    }

    @DataBoundSetter
    public void setReallocateWhenNodeLost(boolean reallocateWhenNodeLost) {
        this.reallocateWhenNodeLost = reallocateWhenNodeLost;
    }

    public String getCniCheck() {
        return cniCheck == null ? "enforce" : cniCheck;
    }

    /** {@code enforce}, {@code warn} or {@code off}: the check that the CNI never auto-assigns the pool (SIP-13). */
    @DataBoundSetter
    public void setCniCheck(String cniCheck) {
        this.cniCheck = cniCheck == null || cniCheck.isBlank() ? "enforce" : cniCheck.trim();
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

    /** The engine's form of this pool (not yet validated). */
    public PoolSettings toSettings() {
        return new PoolSettings(name, items(ranges), items(exclude), cni, allocation, items(keepNamespaces), reclaimAfter,
                nodePinning, reallocateWhenNodeLost, getCniCheck());
    }

    static List<String> items(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<PoolConfig> {

        @Override
        public String getDisplayName() {
            return Messages.PoolConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(() -> Require.dnsLabel("name", value));
        }

        @POST
        public FormValidation doCheckRanges(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            List<String> items = items(value);
            if (items.isEmpty()) {
                return FormValidation.error(Messages.PoolConfig_RangesRequired());
            }
            for (String item : items) {
                var problem = Ipv6Range.looksLikeIpv6(item) ? Ipv6Range.problem(item) : AddressRange.problem(item);
                if (problem.isPresent()) {
                    return FormValidation.error(problem.get());
                }
            }
            return FormValidation.ok();
        }

        @POST
        public FormValidation doCheckExclude(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            for (String item : items(value)) {
                if (IpKey.parse(item).isEmpty()) {
                    return FormValidation.error(Messages.PoolConfig_NotAnAddress(item));
                }
            }
            return FormValidation.ok();
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormChecks.allowedJobs(value, "pool");
        }

        @POST
        public FormValidation doCheckReclaimAfter(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(() -> Require.duration("reclaimAfter", value));
        }

        @POST
        public FormValidation doCheckKeepNamespaces(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            for (String ns : items(value)) {
                FormValidation v = check(() -> Require.dnsLabel("keepNamespaces", ns));
                if (v.kind != FormValidation.Kind.OK) {
                    return v;
                }
            }
            return FormValidation.ok();
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

        private static FormValidation check(Runnable check) {
            try {
                check.run();
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.rule());
            }
        }
    }
}
