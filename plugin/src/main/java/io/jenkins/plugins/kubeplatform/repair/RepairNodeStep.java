package io.jenkins.plugins.kubeplatform.repair;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code repairNode(node: 'n1') { sh './fix.sh' }}: takes a node out of service safely, runs the body as the repair,
 * verifies the node and returns it. {@code repairNode(pool: 'gpu', detect: [notReadyFor: '5m'])} finds the pool's
 * faulty nodes and repairs them within its concurrency limit (the body runs once per node with
 * {@code KUBEPLATFORM_NODE} set). Waiting holds no executor thread and survives a controller restart.
 */
public class RepairNodeStep extends Step {

    private String node = "";
    private String pool = "";
    private FaultDetection detect = new FaultDetection();
    private String cluster = "";
    private String taskSelector = "";
    private String taskTimeout = "";
    private String verifyTimeout = "";
    private String stabilizationWindow = "";

    @DataBoundConstructor
    public RepairNodeStep() {
    }

    public String getNode() {
        return node;
    }

    /** The node to repair (or use {@code pool} with {@code detect}). */
    @DataBoundSetter
    public void setNode(String node) {
        this.node = node == null ? "" : node.trim();
    }

    public String getPool() {
        return pool;
    }

    /** Scheduled mode: the repair pool whose faulty nodes to repair. */
    @DataBoundSetter
    public void setPool(String pool) {
        this.pool = pool == null ? "" : pool.trim();
    }

    public FaultDetection getDetect() {
        return detect;
    }

    /**
     * Scheduled mode: {@code notReadyFor} (duration), {@code conditions} and {@code taints} (lists). Pipeline passes
     * a map, {@code detect: [notReadyFor: '5m']}, bound to {@link FaultDetection}.
     */
    @DataBoundSetter
    public void setDetect(FaultDetection detect) {
        this.detect = detect == null ? new FaultDetection() : detect;
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = cluster == null ? "" : cluster.trim();
    }

    public String getTaskSelector() {
        return taskSelector;
    }

    @DataBoundSetter
    public void setTaskSelector(String taskSelector) {
        this.taskSelector = taskSelector == null ? "" : taskSelector.trim();
    }

    public String getTaskTimeout() {
        return taskTimeout;
    }

    @DataBoundSetter
    public void setTaskTimeout(String taskTimeout) {
        this.taskTimeout = taskTimeout == null ? "" : taskTimeout.trim();
    }

    public String getVerifyTimeout() {
        return verifyTimeout;
    }

    @DataBoundSetter
    public void setVerifyTimeout(String verifyTimeout) {
        this.verifyTimeout = verifyTimeout == null ? "" : verifyTimeout.trim();
    }

    public String getStabilizationWindow() {
        return stabilizationWindow;
    }

    @DataBoundSetter
    public void setStabilizationWindow(String stabilizationWindow) {
        this.stabilizationWindow = stabilizationWindow == null ? "" : stabilizationWindow.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new RepairNodeExecution(this, context);
    }

    @Extension
    @Symbol("repairNode")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "repairNode";
        }

        @Override
        public String getDisplayName() {
            return Messages.RepairNodeStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
