package io.jenkins.plugins.kubeplatform.repair;

import io.jenkins.plugins.kubeplatform.common.KubePlatformPermissions;
import org.kohsuke.stapler.StaplerRequest2;
import net.sf.json.JSONObject;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import hudson.model.Descriptor.FormException;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › Node repair: the {@code repair:} section (pools by node label, concurrency, lease,
 * timeouts, fault conditions, repair command). Blank fields use the engine's defaults. Configuration as Code:
 * {@code unclassified: repair: {maxConcurrent: 1, pools: [{name: gpu, nodeSelector: "pool=gpu"}]}}.
 */
@Extension
@Symbol("repair")
public class RepairConfiguration extends GlobalConfiguration {

    /** Loads the plugin's permissions when Jenkins creates this extension at startup, so authorization lists them. */
    static final hudson.security.Permission REPAIR_NODE = KubePlatformPermissions.REPAIR_NODE;

    private List<RepairPoolConfig> pools = new ArrayList<>();
    private int maxConcurrent = 1;
    private String leaseNamespace = "";
    private String leaseTtl = "";
    private String leaseWaitTimeout = "";
    private String trafficLabel = "";
    private String deregistrationGrace = "";
    private String deregistrationTimeout = "";
    private String taskSelector = "";
    private String agentSelector = "";
    private String taskTimeout = "";
    private String onTaskTimeout = "";
    private String drainTimeout = "";
    private String repairTimeout = "";
    private String verifyTimeout = "";
    private String stabilizationWindow = "";
    private String faultConditions = "";
    private String recheckInterval = "";
    private String command = "";

    public RepairConfiguration() {
        load();
    }

    /** Neither loaded nor saved: what a form submission is bound to before it is checked. */
    RepairConfiguration(Void detached) {
    }

    /**
     * A submitted form replaces the whole configuration (an emptied list is emptied), after every value is checked,
     * with one save.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        RepairConfiguration candidate = new RepairConfiguration((Void) null) {
            @Override
            public synchronized void save() {
                // a candidate is never persisted
            }
        };
        ConfigurationForms.replace(RepairConfiguration.class, this, candidate, req, json, RepairConfiguration::check);
        return true;
    }

    /** Everything the form can get wrong, before anything changes; the exception names the field. */
    void check() throws FormException {
        try {
            settings();
        } catch (InvalidInputException e) {
            throw ConfigurationForms.invalid(e);
        }
    }

    public static RepairConfiguration get() {
        return ExtensionList.lookupSingleton(RepairConfiguration.class);
    }

    public List<RepairPoolConfig> getPools() {
        return pools;
    }

    @DataBoundSetter
    public void setPools(List<RepairPoolConfig> pools) {
        this.pools = pools == null ? new ArrayList<>() : new ArrayList<>(pools);
        save();
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    /** Repairs at once in a pool without its own limit (and in nodes no pool selects). */
    @DataBoundSetter
    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
        save();
    }

    public String getLeaseNamespace() {
        return leaseNamespace;
    }

    @DataBoundSetter
    public void setLeaseNamespace(String leaseNamespace) {
        this.leaseNamespace = leaseNamespace == null ? "" : leaseNamespace.trim();
        save();
    }

    public String getLeaseTtl() {
        return leaseTtl;
    }

    @DataBoundSetter
    public void setLeaseTtl(String leaseTtl) {
        this.leaseTtl = leaseTtl == null ? "" : leaseTtl.trim();
        save();
    }

    public String getLeaseWaitTimeout() {
        return leaseWaitTimeout;
    }

    @DataBoundSetter
    public void setLeaseWaitTimeout(String leaseWaitTimeout) {
        this.leaseWaitTimeout = leaseWaitTimeout == null ? "" : leaseWaitTimeout.trim();
        save();
    }

    public String getTrafficLabel() {
        return trafficLabel;
    }

    @DataBoundSetter
    public void setTrafficLabel(String trafficLabel) {
        this.trafficLabel = trafficLabel == null ? "" : trafficLabel.trim();
        save();
    }

    public String getDeregistrationGrace() {
        return deregistrationGrace;
    }

    @DataBoundSetter
    public void setDeregistrationGrace(String deregistrationGrace) {
        this.deregistrationGrace = deregistrationGrace == null ? "" : deregistrationGrace.trim();
        save();
    }

    public String getDeregistrationTimeout() {
        return deregistrationTimeout;
    }

    @DataBoundSetter
    public void setDeregistrationTimeout(String deregistrationTimeout) {
        this.deregistrationTimeout = deregistrationTimeout == null ? "" : deregistrationTimeout.trim();
        save();
    }

    public String getTaskSelector() {
        return taskSelector;
    }

    @DataBoundSetter
    public void setTaskSelector(String taskSelector) {
        this.taskSelector = taskSelector == null ? "" : taskSelector.trim();
        save();
    }

    public String getAgentSelector() {
        return agentSelector;
    }

    @DataBoundSetter
    public void setAgentSelector(String agentSelector) {
        this.agentSelector = agentSelector == null ? "" : agentSelector.trim();
        save();
    }

    public String getTaskTimeout() {
        return taskTimeout;
    }

    @DataBoundSetter
    public void setTaskTimeout(String taskTimeout) {
        this.taskTimeout = taskTimeout == null ? "" : taskTimeout.trim();
        save();
    }

    public String getOnTaskTimeout() {
        return onTaskTimeout;
    }

    @DataBoundSetter
    public void setOnTaskTimeout(String onTaskTimeout) {
        this.onTaskTimeout = onTaskTimeout == null ? "" : onTaskTimeout.trim();
        save();
    }

    public String getDrainTimeout() {
        return drainTimeout;
    }

    @DataBoundSetter
    public void setDrainTimeout(String drainTimeout) {
        this.drainTimeout = drainTimeout == null ? "" : drainTimeout.trim();
        save();
    }

    public String getRepairTimeout() {
        return repairTimeout;
    }

    @DataBoundSetter
    public void setRepairTimeout(String repairTimeout) {
        this.repairTimeout = repairTimeout == null ? "" : repairTimeout.trim();
        save();
    }

    public String getVerifyTimeout() {
        return verifyTimeout;
    }

    @DataBoundSetter
    public void setVerifyTimeout(String verifyTimeout) {
        this.verifyTimeout = verifyTimeout == null ? "" : verifyTimeout.trim();
        save();
    }

    public String getStabilizationWindow() {
        return stabilizationWindow;
    }

    @DataBoundSetter
    public void setStabilizationWindow(String stabilizationWindow) {
        this.stabilizationWindow = stabilizationWindow == null ? "" : stabilizationWindow.trim();
        save();
    }

    public String getFaultConditions() {
        return faultConditions;
    }

    @DataBoundSetter
    public void setFaultConditions(String faultConditions) {
        this.faultConditions = faultConditions == null ? "" : faultConditions.trim();
        save();
    }

    public String getRecheckInterval() {
        return recheckInterval;
    }

    @DataBoundSetter
    public void setRecheckInterval(String recheckInterval) {
        this.recheckInterval = recheckInterval == null ? "" : recheckInterval.trim();
        save();
    }

    public String getCommand() {
        return command;
    }

    @DataBoundSetter
    public void setCommand(String command) {
        this.command = command == null ? "" : command.trim();
        save();
    }

    /** The validated engine settings; a bad value is an input error naming the field. */
    public RepairSettings settings() {
        List<RepairSettings.Section.PoolSection> poolSections = pools.stream()
                .map(p -> new RepairSettings.Section.PoolSection(p.getName(), p.getNodeSelector(),
                        p.getMaxConcurrent() > 0 ? p.getMaxConcurrent() : null)).toList();
        return new RepairSettings.Section(poolSections, maxConcurrent, blank(leaseNamespace), blank(leaseTtl),
                blank(leaseWaitTimeout), blank(trafficLabel), blank(deregistrationGrace), blank(deregistrationTimeout),
                blank(taskSelector), blank(agentSelector), blank(taskTimeout), blank(onTaskTimeout), blank(drainTimeout),
                blank(repairTimeout), blank(verifyTimeout), blank(stabilizationWindow), conditions(), blank(recheckInterval),
                blank(command)).toSettings();
    }

    private List<String> conditions() {
        if (faultConditions.isBlank()) {
            return null;
        }
        return Arrays.stream(faultConditions.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Checks the whole section together when the form is saved. */
    @POST
    public FormValidation doCheckPools() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            settings();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    @POST
    public FormValidation doCheckLeaseTtl(@QueryParameter String value) {
        return checkDuration("repair.leaseTtl", value);
    }

    @POST
    public FormValidation doCheckLeaseWaitTimeout(@QueryParameter String value) {
        return checkDuration("repair.leaseWaitTimeout", value);
    }

    @POST
    public FormValidation doCheckDeregistrationGrace(@QueryParameter String value) {
        return checkDuration("repair.deregistrationGrace", value);
    }

    @POST
    public FormValidation doCheckDeregistrationTimeout(@QueryParameter String value) {
        return checkDuration("repair.deregistrationTimeout", value);
    }

    @POST
    public FormValidation doCheckTaskTimeout(@QueryParameter String value) {
        return checkDuration("repair.taskTimeout", value);
    }

    @POST
    public FormValidation doCheckDrainTimeout(@QueryParameter String value) {
        return checkDuration("repair.drainTimeout", value);
    }

    @POST
    public FormValidation doCheckRepairTimeout(@QueryParameter String value) {
        return checkDuration("repair.repairTimeout", value);
    }

    @POST
    public FormValidation doCheckVerifyTimeout(@QueryParameter String value) {
        return checkDuration("repair.verifyTimeout", value);
    }

    @POST
    public FormValidation doCheckStabilizationWindow(@QueryParameter String value) {
        return checkDuration("repair.stabilizationWindow", value);
    }

    @POST
    public FormValidation doCheckRecheckInterval(@QueryParameter String value) {
        return checkDuration("repair.recheckInterval", value);
    }

    private static FormValidation checkDuration(String field, String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            Require.duration(field, value);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
