package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code provisionEdgeVm(name: 'runner', tenant: 'demo', cpu: 2, memory: '4Gi', disk: '20Gi', image: '...')}: a KubeVirt
 * VM on the closest edge site with capacity, joined as a node of an edge cluster; {@code action: 'release'} keeps
 * it idle for the tenant, {@code action: 'delete'} gives it back. Returns a map with vm, site, cluster, node, address.
 */
public final class ProvisionEdgeVmStep extends Step {

    private final String name;
    private final String tenant;
    private String action = "create";
    private int cpu;
    private String memory = "";
    private String disk = "";
    private String image = "";
    private boolean exclusive;
    private String location = "";
    private String region = "";
    private String zone = "";
    private String site = "";
    private String cluster = "";
    private boolean waitForJoin = true;

    @DataBoundConstructor
    public ProvisionEdgeVmStep(String name, String tenant) {
        this.name = name;
        this.tenant = tenant;
    }

    public String getName() {
        return name;
    }

    public String getTenant() {
        return tenant;
    }

    public String getAction() {
        return action;
    }

    /** create (default), release or delete. */
    @DataBoundSetter
    public void setAction(String action) {
        this.action = action == null || action.isBlank() ? "create" : action.trim();
    }

    public int getCpu() {
        return cpu;
    }

    @DataBoundSetter
    public void setCpu(int cpu) {
        this.cpu = cpu;
    }

    public String getMemory() {
        return memory;
    }

    @DataBoundSetter
    public void setMemory(String memory) {
        this.memory = clean(memory);
    }

    public String getDisk() {
        return disk;
    }

    @DataBoundSetter
    public void setDisk(String disk) {
        this.disk = clean(disk);
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = clean(image);
    }

    public boolean isExclusive() {
        return exclusive;
    }

    @DataBoundSetter
    public void setExclusive(boolean exclusive) {
        this.exclusive = exclusive;
    }

    public String getLocation() {
        return location;
    }

    @DataBoundSetter
    public void setLocation(String location) {
        this.location = clean(location);
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = clean(region);
    }

    public String getZone() {
        return zone;
    }

    @DataBoundSetter
    public void setZone(String zone) {
        this.zone = clean(zone);
    }

    public String getSite() {
        return site;
    }

    @DataBoundSetter
    public void setSite(String site) {
        this.site = clean(site);
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = clean(cluster);
    }

    public boolean isWaitForJoin() {
        return waitForJoin;
    }

    @DataBoundSetter
    public void setWaitForJoin(boolean waitForJoin) {
        this.waitForJoin = waitForJoin;
    }

    private static String clean(String value) {
        return value == null ? "" : value.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new ProvisionEdgeVmExecution(this, context);
    }

    @Extension
    @org.jenkinsci.Symbol("provisionEdgeVm")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "provisionEdgeVm";
        }

        @Override
        public String getDisplayName() {
            return Messages.ProvisionEdgeVmStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
