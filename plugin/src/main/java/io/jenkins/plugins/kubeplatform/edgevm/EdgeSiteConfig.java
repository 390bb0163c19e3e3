package io.jenkins.plugins.kubeplatform.edgevm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmsSchema;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One edge site in the global configuration: a KubeVirt cluster namespace, its place and capacity. Keys, rules and
 * defaults: {@link EdgeVmsSchema#SITE}.
 */
public class EdgeSiteConfig extends AbstractDescribableImpl<EdgeSiteConfig> {

    private final String name;
    private final String namespace;
    private final String location;
    private String cluster = "";
    private String region = "";
    private String zone = "";
    private int cpu = initialInt(EdgeVmsSchema.SITE_CPU);
    private String memory = initial(EdgeVmsSchema.SITE_MEMORY);
    private int vms = initialInt(EdgeVmsSchema.SITE_VMS);

    @DataBoundConstructor
    public EdgeSiteConfig(String name, String namespace, String location) {
        this.name = clean(name);
        this.namespace = clean(namespace);
        this.location = clean(location);
    }

    /** The site as an item of the {@code edgeVms.sites} section ({@link EdgeVmsSchema#SITE}), read like the CLI's. */
    ObjectNode toNode() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put(EdgeVmsSchema.SITE_NAME.name(), name);
        node.put(EdgeVmsSchema.SITE_NAMESPACE.name(), namespace);
        node.put(EdgeVmsSchema.SITE_LOCATION.name(), location);
        node.put(EdgeVmsSchema.SITE_CLUSTER.name(), cluster);
        node.put(EdgeVmsSchema.SITE_REGION.name(), region);
        node.put(EdgeVmsSchema.SITE_ZONE.name(), zone);
        node.put(EdgeVmsSchema.SITE_CPU.name(), cpu);
        node.put(EdgeVmsSchema.SITE_MEMORY.name(), memory);
        node.put(EdgeVmsSchema.SITE_VMS.name(), vms);
        return node;
    }

    public String getName() { return name; }
    public String getNamespace() { return namespace; }
    public String getLocation() { return location; }
    public String getCluster() { return cluster; }
    /** The cluster connection running KubeVirt; empty: the default cluster. */
    @DataBoundSetter public void setCluster(String v) { cluster = clean(v); }
    public String getRegion() { return region; }
    @DataBoundSetter public void setRegion(String v) { region = clean(v); }
    public String getZone() { return zone; }
    @DataBoundSetter public void setZone(String v) { zone = clean(v); }
    public int getCpu() { return cpu; }
    @DataBoundSetter public void setCpu(int v) { cpu = v; }
    public String getMemory() { return memory; }
    @DataBoundSetter public void setMemory(String v) { memory = clean(v); }
    public int getVms() { return vms; }
    @DataBoundSetter public void setVms(int v) { vms = v; }

    static String clean(String v) {
        return v == null ? "" : v.trim();
    }

    /** A text field's initial value: its declared default, else empty. */
    static String initial(Setting<?> setting) {
        return setting.defaultText().orElse("");
    }

    /** A number field's initial value: its declared default. */
    static int initialInt(Setting<Integer> setting) {
        return setting.defaultValue(setting.name()).orElseThrow();
    }

    /** A checkbox's initial value: its declared default. */
    static boolean initialFlag(Setting<Boolean> setting) {
        return setting.defaultValue(setting.name()).orElseThrow();
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<EdgeSiteConfig> {

        @Override
        public String getDisplayName() {
            return Messages.EdgeSiteConfig_DisplayName();
        }

        /** The declared default of {@code key} ({@link EdgeVmsSchema#SITE}): what the view fills in for a new item. */
        public String defaultOf(String key) {
            return EdgeVmsSchema.SITE.setting(key).flatMap(Setting::defaultText).orElse("");
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return check(EdgeVmsSchema.SITE_NAME, value);
        }

        @POST
        public FormValidation doCheckLocation(@QueryParameter String value) {
            return check(EdgeVmsSchema.SITE_LOCATION, value);
        }

        @POST
        public FormValidation doCheckCpu(@QueryParameter String value) {
            return check(EdgeVmsSchema.SITE_CPU, value);
        }

        @POST
        public FormValidation doCheckVms(@QueryParameter String value) {
            return check(EdgeVmsSchema.SITE_VMS, value);
        }

        @POST
        public ListBoxModel doFillClusterItems() {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return ClusterForms.clusterItems();
        }

        @POST
        public FormValidation doCheckCluster(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return ClusterForms.clusterReference(value);
        }

        @POST
        public FormValidation doCheckNamespace(@QueryParameter String value) {
            return check(EdgeVmsSchema.SITE_NAMESPACE, value);
        }

        @POST
        public FormValidation doCheckMemory(@QueryParameter String value) {
            return check(EdgeVmsSchema.SITE_MEMORY, value);
        }

        private static FormValidation check(Setting<?> setting, String value) {
            return EdgeVmConfiguration.check(EdgeVmsSchema.SITE, setting, value);
        }
    }
}
