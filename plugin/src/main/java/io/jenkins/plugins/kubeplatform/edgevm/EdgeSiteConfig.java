package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.kube.ClusterForms;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** One edge site in the global configuration: a KubeVirt cluster namespace, its place and capacity. */
public class EdgeSiteConfig extends AbstractDescribableImpl<EdgeSiteConfig> {

    private final String name;
    private final String namespace;
    private final String location;
    private String cluster = "";
    private String region = "";
    private String zone = "";
    private int cpu = 16;
    private String memory = "64Gi";
    private int vms = 8;

    @DataBoundConstructor
    public EdgeSiteConfig(String name, String namespace, String location) {
        this.name = clean(name);
        this.namespace = clean(namespace);
        this.location = clean(location);
    }

    EdgeSettings.Site toSite() {
        return new EdgeSettings.Site(name, absent(cluster), namespace, location, absent(region), absent(zone),
                new EdgeSettings.Capacity(cpu, memory, vms));
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

    /** An empty optional field is absent in the engine's settings, as when the key is left out of the YAML file. */
    static String absent(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<EdgeSiteConfig> {

        @Override
        public String getDisplayName() {
            return Messages.EdgeSiteConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckLocation(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                GeoPoint.parse("location", value);
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
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
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormChecks.dnsLabel("namespace", value);
        }

        @POST
        public FormValidation doCheckMemory(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            try {
                new EdgeSettings.Capacity(1, value, 1).memoryMi("memory");
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
