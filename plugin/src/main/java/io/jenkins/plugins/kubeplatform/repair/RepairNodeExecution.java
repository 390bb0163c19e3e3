package io.jenkins.plugins.kubeplatform.repair;

import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import hudson.AbortException;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.common.BuildFailures;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.Suspendable;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.core.Require;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs {@link RepairSession} steps on the plugin's own workers ({@link RepairHost#timer()}, never Jenkins' shared
 * {@code jenkins.util.Timer}): between steps nothing waits on a thread, a node or pod
 * change (watch) or the session's own deadline schedules the next one. The body is started asynchronously and reports
 * back through a callback. Only ids and strings are kept across a restart; the node's annotation holds the rest, so
 * {@link #onResume()} simply continues.
 */
final class RepairNodeExecution extends StepExecution implements Suspendable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(RepairNodeExecution.class.getName());
    private static final String FUNCTION = "repairNode";
    /** Jenkins, or a test's stand-in for it. */
    static volatile RepairHost host = RepairHost.JENKINS;

    private final String cluster;
    private final String pool;
    private final String notReadyFor;
    private final List<String> conditions;
    private final List<String> taints;
    private final String taskSelector;
    private final String taskTimeout;
    private final String verifyTimeout;
    private final String stabilizationWindow;
    private final List<String> queue = new ArrayList<>();
    private final List<Map<String, Object>> reports = new ArrayList<>();
    private final Set<String> offlineAgents = new LinkedHashSet<>();
    private final Map<String, List<String>> faults = new LinkedHashMap<>();
    private String owner;
    private String currentNode;
    private boolean detected;
    private boolean sessionBegun;
    private boolean bodyRunning;
    private Boolean repairSucceeded;
    private String repairMessage = "";
    private int nodesChecked;

    private transient RepairSession session;
    private transient KubernetesClient client;
    private transient ChangeSignal watch;
    private transient ScheduledFuture<?> next;
    private transient volatile boolean soon;
    private transient boolean finished;
    private transient volatile boolean suspended;

    RepairNodeExecution(RepairNodeStep step, StepContext context) {
        super(context);
        this.cluster = step.getCluster();
        this.pool = step.getPool();
        this.notReadyFor = text(step.getDetect().getNotReadyFor(), "5m");
        this.conditions = list(step.getDetect().getConditions());
        this.taints = list(step.getDetect().getTaints());
        this.taskSelector = step.getTaskSelector();
        this.taskTimeout = step.getTaskTimeout();
        this.verifyTimeout = step.getVerifyTimeout();
        this.stabilizationWindow = step.getStabilizationWindow();
        if (!step.getNode().isEmpty()) {
            queue.add(step.getNode());
        }
    }

    @Override
    public boolean start() throws Exception {
        try {
            if (queue.isEmpty() == pool.isEmpty()) {
                throw new InvalidInputException("node", "give either node: 'name' or pool: 'name' with detect: [...]");
            }
            if (!queue.isEmpty()) {
                Require.dnsSubdomain("node", queue.get(0));
            }
            if (!getContext().hasBody()) {
                throw new AbortException(settings().command().isBlank() ? Messages.RepairNodeStep_NoRepair()
                        : Messages.RepairNodeStep_CommandNotOnController());
            }
            Require.duration("detect.notReadyFor", notReadyFor);
        } catch (InvalidInputException e) {
            throw (AbortException) BuildFailures.toBuildFailure(FUNCTION, e);
        }
        host.checkMayRepair(getContext());
        owner = host.owner(getContext());
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    public void onResume() {
        suspended = false;
        host.registerAgents(new ArrayList<>(offlineAgents));
        schedule(Duration.ZERO);
    }

    @Override
    public String getStatus() {
        RepairSession s = session;
        if (s != null) {
            return currentNode + ": " + s.status();
        }
        return bodyRunning ? "repair body running on " + currentNode : "between steps";
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        String message;
        synchronized (this) {
            finished = true;
            cancelNext();
            message = abortQuietly("build aborted: " + cause);
            close();
        }
        if (message != null) {
            listener().getLogger().println("[repairNode] " + message);
        }
        getContext().onFailure(cause);
    }

    private String abortQuietly(String why) {
        if (currentNode == null) {
            return null;
        }
        try {
            RepairSession s = session != null ? session : newSession(true);
            return s.abort(why).message();
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not record the abort of the repair of " + currentNode, e);
            return "could not record the abort on " + currentNode + " (" + e.getMessage() + "); it stays cordoned in "
                    + "its last recorded state";
        } finally {
            releaseAgents();
        }
    }

    /** The body or command ended; the next step moves on to verification (or records the failure). */
    void repairEnded(boolean succeeded, String message) {
        synchronized (this) {
            bodyRunning = false;
            repairSucceeded = succeeded;
            repairMessage = message == null ? "" : message;
        }
        schedule(Duration.ZERO);
    }

    /** Jenkins shuts down: stop scheduling and drop the watch and client; the node keeps the state for onResume. */
    @Override
    public synchronized void suspend() {
        suspended = true;
        cancelNext();
        closeWatch();
        session = null;
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private synchronized void tick() {
        next = null;
        if (finished || suspended) {
            return;
        }
        try {
            if (client == null) {
                client = host.client(cluster, getContext());
            }
            if (!pool.isEmpty() && !detected) {
                detect();
            }
            if (session == null) {
                if (currentNode == null) {
                    if (queue.isEmpty()) {
                        complete();
                        return;
                    }
                    currentNode = queue.remove(0);
                    sessionBegun = false;
                }
                session = newSession(sessionBegun);
                sessionBegun = true;
                getContext().saveState();
                watch = new ChangeSignal(this::soon);
                watch.watchNode(client, currentNode);
            }
            if (repairSucceeded != null) {
                session.repairFinished(repairSucceeded, repairMessage);
                repairSucceeded = null;
            } else if (bodyRunning) {
                session.repairStillRunning();
            }
            SessionStep step = session.step();
            for (String agent : session.agentPods()) {
                if (!offlineAgents.contains(agent) && host.takeAgentOffline(agent, currentNode)) {
                    offlineAgents.add(agent);
                    listener().getLogger().println("[repairNode] agent " + agent + " taken offline while "
                            + currentNode + " is repaired");
                }
            }
            if (step instanceof SessionStep.Waiting w) {
                schedule(w.atMost());
            } else if (step instanceof SessionStep.RepairNeeded) {
                startRepair();
            } else if (step instanceof SessionStep.Finished f) {
                nodeFinished(f.result());
            }
        } catch (InvalidInputException e) {
            fail(BuildFailures.toBuildFailure(FUNCTION, e));
        } catch (OperationFailedException | KubernetesClientException | AbortException e) {
            String what = currentNode == null ? BuildFailures.describe(BuildFailures.toBuildFailure(FUNCTION, e))
                    : Messages.RepairNodeStep_Stopped(currentNode, BuildFailures.describe(
                            BuildFailures.toBuildFailure(FUNCTION, e)), MaintenanceRecord.ANNOTATION);
            fail(new AbortException(what));
        } catch (IOException | InterruptedException | RuntimeException e) {
            fail(BuildFailures.toBuildFailure(FUNCTION, e));
        }
    }

    private void detect() throws IOException, InterruptedException {
        NodeRepairer repairer = new NodeRepairer(client, ApiRetries.policy(), settings(), PluginServices.clock());
        DetectRules rules = new DetectRules(Require.duration("detect.notReadyFor", notReadyFor),
                conditions.isEmpty() ? settings().faultConditions() : conditions, taints);
        List<FaultDetector.Finding> findings = repairer.detect(pool, rules);
        Progress progress = progress();
        progress.plan("pool " + pool + ": " + findings.size() + " faulty node(s) found"
                + (findings.isEmpty() ? "" : ": " + String.join("; ", findings.stream()
                .map(f -> f.node() + " (" + String.join(", ", f.faults()) + ")").toList())));
        for (FaultDetector.Finding f : findings) {
            if (f.skip().isPresent()) {
                progress.step(f.node() + ": skipped, " + f.skip().get());
                reports.add(report(f.node(), f.faults(), "SKIPPED", f.skip().get()));
            } else {
                queue.add(f.node());
                faults.put(f.node(), new ArrayList<>(f.faults()));
            }
        }
        nodesChecked = findings.size();
        detected = true;
        getContext().saveState();
    }

    private void startRepair() throws IOException, InterruptedException {
        bodyRunning = true;
        getContext().saveState();
        if (getContext().hasBody()) {
            getContext().newBodyInvoker()
                    .withContext(host.bodyContext(getContext(), currentNode))
                    .withCallback(new RepairBodyCallback(this))
                    .start();
            return;
        }
        // a repair always runs where the body puts it (an agent of the user's choice), never on the controller
        throw new AbortException(Messages.RepairNodeStep_NoRepair());
    }

    private void nodeFinished(RepairResult result) throws IOException, InterruptedException {
        releaseAgents();
        closeWatch();
        session = null;
        reports.add(report(result.node(), faults.getOrDefault(result.node(), List.of()), result.outcome().name(),
                result.message()));
        List<String> lines = new ArrayList<>();
        result.timeline().forEach(e -> lines.add(e.toString()));
        lines.add(result.outcome() + ": " + result.message());
        host.showResult(getContext(), new ResultAction("repairNode " + result.node(), lines, result.document()));
        listener().getLogger().println("[repairNode] " + result.outcome() + ": " + result.message());
        if (pool.isEmpty()) {
            finished = true;
            close();
            if (result.outcome().success()) {
                getContext().onSuccess(resultMap(result));
            } else {
                getContext().onFailure(new AbortException(result.message()));
            }
            return;
        }
        currentNode = null;
        schedule(Duration.ZERO);
    }

    private void complete() {
        finished = true;
        close();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pool", pool);
        result.put("faultyNodes", nodesChecked);
        result.put("nodes", new ArrayList<>(reports));
        long failed = reports.stream().filter(r -> "FAILED".equals(r.get("outcome")) || "ABORTED".equals(r.get("outcome")))
                .count();
        if (failed > 0) {
            getContext().onFailure(new AbortException(Messages.RepairNodeStep_ScheduledFailed(pool, failed)));
        } else {
            getContext().onSuccess(result);
        }
    }

    private void fail(Throwable t) {
        finished = true;
        releaseAgents();
        close();
        try {
            host.showResult(getContext(), ResultAction.failed(FUNCTION + (currentNode == null ? "" : " " + currentNode),
                    BuildFailures.describe(t)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.log(Level.FINE, "could not record the failure on the build", e);
        }
        getContext().onFailure(t);
    }

    private RepairSession newSession(boolean resumed) throws IOException, InterruptedException {
        if (client == null) {
            client = host.client(cluster, getContext());
        }
        if (!resumed) {
            NodeRepairer.checkAccess(client, ApiRetries.policy(), settings()); // before a lease is taken or the node cordoned
        }
        return new RepairSession(client, ApiRetries.policy(), settings(), PluginServices.clock(),
                new RepairRequest(currentNode, owner, pool.isEmpty(), resumed), progress(),
                host.pinLedger());
    }

    private RepairSettings settings() {
        return host.settings().with(new RepairSettings.Overrides(
                taskSelector.isEmpty() ? null : taskSelector,
                taskTimeout.isEmpty() ? null : Require.duration("taskTimeout", taskTimeout),
                verifyTimeout.isEmpty() ? null : Require.duration("verifyTimeout", verifyTimeout),
                stabilizationWindow.isEmpty() ? null : Require.duration("stabilizationWindow", stabilizationWindow),
                null));
    }

    private Progress progress() throws IOException, InterruptedException {
        return JenkinsProgress.of(listener());
    }

    private TaskListener listener() throws IOException, InterruptedException {
        return getContext().get(TaskListener.class);
    }

    private void releaseAgents() {
        for (String agent : offlineAgents) {
            try {
                host.bringAgentBack(agent);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not bring agent " + agent + " back online", e);
            }
        }
        offlineAgents.clear();
    }

    /** A change on the node or its pods: look again soon (changes come in bursts, so they are coalesced). */
    private void soon() {
        if (!soon) {
            soon = true;
            try {
                host.timer().schedule(() -> {
                    soon = false;
                    tick();
                }, 200, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                soon = false;
            }
        }
    }

    private synchronized void schedule(Duration delay) {
        if (finished || suspended) {
            return;
        }
        cancelNext();
        try {
            next = host.timer().schedule(this::tick, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the controller is shutting down; the node keeps the state and onResume continues after the restart
            LOG.log(Level.FINE, "not scheduling the repair of {0}: the timer is shut down", currentNode);
        }
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void close() {
        closeWatch();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static Map<String, Object> resultMap(RepairResult r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("node", r.node());
        map.put("pool", r.pool());
        map.put("outcome", r.outcome().name());
        map.put("message", r.message());
        map.put("timeline", r.timeline().stream().map(TimelineEntry::toString).toList());
        return map;
    }

    private static Map<String, Object> report(String node, List<String> faults, String outcome, String message) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("node", node);
        map.put("faults", new ArrayList<>(faults));
        map.put("outcome", outcome);
        map.put("message", message);
        return map;
    }

    private static String text(Object value, String fallback) {
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    private static List<String> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return List.of(value.toString().split("[,\\s]+")).stream().filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Reports the end of the body to the execution. It holds the execution itself: Pipeline saves both in the same
     * program state, so after a restart the callback reaches the resumed execution.
     */
    static final class RepairBodyCallback extends BodyExecutionCallback {

        private static final long serialVersionUID = 1L;

        private final RepairNodeExecution execution;

        RepairBodyCallback(RepairNodeExecution execution) {
            this.execution = execution;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            execution.repairEnded(true, "");
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            if (t instanceof InterruptedException) {
                try {
                    execution.stop(t);
                } catch (Exception stopFailed) {
                    context.onFailure(t);
                }
            } else {
                execution.repairEnded(false, t.getMessage() == null ? t.toString() : t.getMessage());
            }
        }
    }
}
