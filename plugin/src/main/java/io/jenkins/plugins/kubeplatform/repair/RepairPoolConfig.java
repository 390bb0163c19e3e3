package io.jenkins.plugins.kubeplatform.repair;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSchema;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** One repair pool in the global configuration: a name, the nodes it holds (label selector) and its limit. */
public class RepairPoolConfig extends AbstractDescribableImpl<RepairPoolConfig> {

    private final String name;
    private final String nodeSelector;
    private int maxConcurrent;

    @DataBoundConstructor
    public RepairPoolConfig(String name, String nodeSelector) {
        this.name = name == null ? "" : name.trim();
        this.nodeSelector = nodeSelector == null ? "" : nodeSelector.trim();
    }

    public String getName() {
        return name;
    }

    public String getNodeSelector() {
        return nodeSelector;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    /** 0 or blank: the global limit. */
    @DataBoundSetter
    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<RepairPoolConfig> {

        @Override
        public String getDisplayName() {
            return Messages.RepairPoolConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return check(RepairSchema.POOL_NAME.name(), value);
        }

        @POST
        public FormValidation doCheckNodeSelector(@QueryParameter String value) {
            return check(RepairSchema.POOL_NODE_SELECTOR.name(), value);
        }

        /** A field's check is the rule declared for it in {@link RepairSchema#POOL}. */
        private static FormValidation check(String key, String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return RepairSchema.POOL.check(key, value).map(FormValidation::error).orElse(FormValidation.ok());
        }
    }
}
