package io.jenkins.plugins.kubeplatform.repair;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Descriptor.FormException;
import hudson.util.FormValidation;
import io.jenkins.plugins.kubeplatform.common.ConfigurationForms;
import io.jenkins.plugins.kubeplatform.common.KubePlatformPermissions;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSchema;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › Node repair: the {@code repair:} section (pools by node label, concurrency, lease,
 * timeouts, fault conditions, repair command). Blank fields use the declared defaults: the keys, their rules and
 * defaults are declared once in {@link RepairSchema}; this class keeps the persisted fields and their setters. Configuration as Code:
 * {@code unclassified: repair: {maxConcurrent: 1, pools: [{name: gpu, nodeSelector: "pool=gpu"}]}}.
 */
@Extension
@Symbol("repair")
public class RepairConfiguration extends GlobalConfiguration {

    /** Loads the plugin's permissions when Jenkins creates this extension at startup, so authorization lists them. */
    static final hudson.security.Permission REPAIR_NODE = KubePlatformPermissions.REPAIR_NODE;

    private List<RepairPoolConfig> pools = new ArrayList<>();
    private int maxConcurrent = RepairSchema.MAX_CONCURRENT.defaultValue("repair.maxConcurrent").orElseThrow();
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

    /** The validated engine settings; a bad value is an input error naming the field ({@link RepairSchema}). */
    public RepairSettings settings() {
        ObjectNode section = Json.mapper().createObjectNode();
        ArrayNode poolItems = section.putArray(RepairSchema.POOLS.name());
        for (RepairPoolConfig p : pools) {
            ObjectNode item = poolItems.addObject();
            item.put(RepairSchema.POOL_NAME.name(), p.getName());
            item.put(RepairSchema.POOL_NODE_SELECTOR.name(), p.getNodeSelector());
            if (p.getMaxConcurrent() > 0) {
                item.put(RepairSchema.POOL_MAX_CONCURRENT.name(), p.getMaxConcurrent());
            }
        }
        section.put(RepairSchema.MAX_CONCURRENT.name(), maxConcurrent);
        section.put(RepairSchema.LEASE_NAMESPACE.name(), leaseNamespace);
        section.put(RepairSchema.LEASE_TTL.name(), leaseTtl);
        section.put(RepairSchema.LEASE_WAIT_TIMEOUT.name(), leaseWaitTimeout);
        section.put(RepairSchema.TRAFFIC_LABEL.name(), trafficLabel);
        section.put(RepairSchema.DEREGISTRATION_GRACE.name(), deregistrationGrace);
        section.put(RepairSchema.DEREGISTRATION_TIMEOUT.name(), deregistrationTimeout);
        section.put(RepairSchema.TASK_SELECTOR.name(), taskSelector);
        section.put(RepairSchema.AGENT_SELECTOR.name(), agentSelector);
        section.put(RepairSchema.TASK_TIMEOUT.name(), taskTimeout);
        section.put(RepairSchema.ON_TASK_TIMEOUT.name(), onTaskTimeout);
        section.put(RepairSchema.DRAIN_TIMEOUT.name(), drainTimeout);
        section.put(RepairSchema.REPAIR_TIMEOUT.name(), repairTimeout);
        section.put(RepairSchema.VERIFY_TIMEOUT.name(), verifyTimeout);
        section.put(RepairSchema.STABILIZATION_WINDOW.name(), stabilizationWindow);
        section.put(RepairSchema.FAULT_CONDITIONS.name(), faultConditions);
        section.put(RepairSchema.RECHECK_INTERVAL.name(), recheckInterval);
        section.put(RepairSchema.COMMAND.name(), command);
        return RepairSchema.settings(section);
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
    public FormValidation doCheckMaxConcurrent(@QueryParameter String value) {
        return check(RepairSchema.MAX_CONCURRENT, value);
    }

    @POST
    public FormValidation doCheckLeaseNamespace(@QueryParameter String value) {
        return check(RepairSchema.LEASE_NAMESPACE, value);
    }

    @POST
    public FormValidation doCheckLeaseTtl(@QueryParameter String value) {
        return check(RepairSchema.LEASE_TTL, value);
    }

    @POST
    public FormValidation doCheckLeaseWaitTimeout(@QueryParameter String value) {
        return check(RepairSchema.LEASE_WAIT_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckTrafficLabel(@QueryParameter String value) {
        return check(RepairSchema.TRAFFIC_LABEL, value);
    }

    @POST
    public FormValidation doCheckDeregistrationGrace(@QueryParameter String value) {
        return check(RepairSchema.DEREGISTRATION_GRACE, value);
    }

    @POST
    public FormValidation doCheckDeregistrationTimeout(@QueryParameter String value) {
        return check(RepairSchema.DEREGISTRATION_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckTaskSelector(@QueryParameter String value) {
        return check(RepairSchema.TASK_SELECTOR, value);
    }

    @POST
    public FormValidation doCheckAgentSelector(@QueryParameter String value) {
        return check(RepairSchema.AGENT_SELECTOR, value);
    }

    @POST
    public FormValidation doCheckTaskTimeout(@QueryParameter String value) {
        return check(RepairSchema.TASK_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckOnTaskTimeout(@QueryParameter String value) {
        return check(RepairSchema.ON_TASK_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckDrainTimeout(@QueryParameter String value) {
        return check(RepairSchema.DRAIN_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckRepairTimeout(@QueryParameter String value) {
        return check(RepairSchema.REPAIR_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckVerifyTimeout(@QueryParameter String value) {
        return check(RepairSchema.VERIFY_TIMEOUT, value);
    }

    @POST
    public FormValidation doCheckStabilizationWindow(@QueryParameter String value) {
        return check(RepairSchema.STABILIZATION_WINDOW, value);
    }

    @POST
    public FormValidation doCheckRecheckInterval(@QueryParameter String value) {
        return check(RepairSchema.RECHECK_INTERVAL, value);
    }

    /** A field's check is its declared rule; blank means the declared default. */
    private static FormValidation check(Setting<?> setting, String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return RepairSchema.SECTION.check(setting.name(), value).map(FormValidation::error)
                .orElse(FormValidation.ok());
    }
}
