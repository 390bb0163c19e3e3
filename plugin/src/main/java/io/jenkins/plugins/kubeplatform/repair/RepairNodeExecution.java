package io.jenkins.plugins.kubeplatform.repair;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.BuildFailures;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.Suspendable;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.repair.ChangeSignal;
import io.jenkins.plugins.kubeplatform.engine.repair.DetectRules;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceRecord;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairOutcome;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRun;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRunState;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.repair.RunTurn;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Drives the engine's {@link RepairRun} on the plugin's own workers ({@link RepairHost#timer()}, never Jenkins'
 * shared {@code jenkins.util.Timer}): between turns nothing waits on a thread, a node or pod change (watch) or the
 * run's own deadline schedules the next one. It keeps only the Jenkins side: the connection, the body as the repair
 * (started asynchronously, reporting back through a callback), agents taken offline, the result action. Across a
 * restart it keeps the step's strings, the run's {@link RepairRunState} and the agents it took offline, so
 * {@link #onResume()} simply continues the run.
 */
final class RepairNodeExecution extends StepExecution implements Suspendable {

    private static final long serialVersionUID = 2L;
    private static final Logger LOG = Logger.getLogger(RepairNodeExecution.class.getName());
    private static final String FUNCTION = "repairNode";
    /** Jenkins, or a test's stand-in for it. */
    static volatile RepairHost host = RepairHost.JENKINS;

    private final String cluster;
    private final String pool;
    private final String node;
    private final String notReadyFor;
    private final List<String> conditions;
    private final List<String> taints;
    private final String taskSelector;
    private final String taskTimeout;
    private final String verifyTimeout;
    private final String stabilizationWindow;
    /** Agents this build took offline, with the node they run on. */
    private final LinkedHashMap<String, String> offlineAgents = new LinkedHashMap<>();
    private RepairRunState state;

    private transient RepairRun run;
    private transient KubernetesClient client;
    private transient Map<String, ChangeSignal> watches;
    private transient ScheduledFuture<?> next;
    private transient volatile boolean soon;
    private transient boolean finished;
    private transient volatile boolean suspended;

    RepairNodeExecution(RepairNodeStep step, StepContext context) {
        super(context);
        this.cluster = step.getCluster();
        this.pool = step.getPool();
        this.node = step.getNode();
        this.notReadyFor = text(step.getDetect().getNotReadyFor(), "5m");
        this.conditions = list(step.getDetect().getConditions());
        this.taints = list(step.getDetect().getTaints());
        this.taskSelector = step.getTaskSelector();
        this.taskTimeout = step.getTaskTimeout();
        this.verifyTimeout = step.getVerifyTimeout();
        this.stabilizationWindow = step.getStabilizationWindow();
    }

    @Override
    public boolean start() throws Exception {
        DetectRules rules;
        try {
            if (node.isEmpty() == pool.isEmpty()) {
                throw new InvalidInputException("node", "give either node: 'name' or pool: 'name' with detect: [...]");
            }
            if (!node.isEmpty()) {
                Require.dnsSubdomain("node", node);
            }
            if (!getContext().hasBody()) {
                throw new AbortException(settings().command().isBlank() ? Messages.RepairNodeStep_NoRepair()
                        : Messages.RepairNodeStep_CommandNotOnController());
            }
            rules = new DetectRules(Require.duration("detect.notReadyFor", notReadyFor), conditions, taints);
        } catch (InvalidInputException e) {
            throw (AbortException) BuildFailures.toBuildFailure(FUNCTION, e);
        }
        host.checkMayRepair(getContext());
        String owner = host.owner(getContext());
        state = node.isEmpty() ? RepairRunState.forPool(pool, rules, owner) : RepairRunState.forNode(node, owner);
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    public void onResume() {
        suspended = false;
        host.registerAgents(new ArrayList<>(offlineAgents.keySet()));
        schedule(Duration.ZERO);
    }

    @Override
    public String getStatus() {
        RepairRun r = run;
        return r != null ? r.status() : "between steps";
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        List<String> lines;
        synchronized (this) {
            finished = true;
            cancelNext();
            lines = abortQuietly("build aborted: " + cause);
            close();
        }
        for (String line : lines) {
            listener().getLogger().println("[repairNode] " + line);
        }
        getContext().onFailure(cause);
    }

    private List<String> abortQuietly(String why) {
        if (state == null || state.getActive().isEmpty()) {
            return List.of();
        }
        try {
            return run().abort(why);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not record the abort of the repair of " + state.getActive().keySet(), e);
            return List.of("could not record the abort on " + String.join(", ", state.getActive().keySet()) + " ("
                    + e.getMessage() + "); it stays cordoned in its last recorded state");
        } finally {
            releaseAgents(null);
        }
    }

    /** The body on {@code repaired} ended; the next turn moves on to verification (or records the failure). */
    void repairEnded(String repaired, boolean succeeded, String message) {
        synchronized (this) {
            if (run != null) {
                run.repairEnded(repaired, succeeded, message);
            } else if (state != null) {
                state.repairEnded(repaired, succeeded, message);
            }
        }
        schedule(Duration.ZERO);
    }

    /** Jenkins shuts down: stop scheduling and drop the watches and client; the state is kept for onResume. */
    @Override
    public synchronized void suspend() {
        suspended = true;
        cancelNext();
        close();
    }

    private synchronized void tick() {
        next = null;
        if (finished || suspended) {
            return;
        }
        try {
            RunTurn turn = run().advance(new JenkinsPort());
            if (turn instanceof RunTurn.Finished f) {
                complete(f);
            } else if (turn instanceof RunTurn.Waiting w) {
                schedule(w.atMost());
            }
        } catch (InvalidInputException e) {
            fail(BuildFailures.toBuildFailure(FUNCTION, e));
        } catch (OperationFailedException | KubernetesClientException | AbortException e) {
            String described = BuildFailures.describe(BuildFailures.toBuildFailure(FUNCTION, e));
            List<String> active = new ArrayList<>(state.getActive().keySet());
            fail(new AbortException(active.isEmpty() ? described
                    : Messages.RepairNodeStep_Stopped(String.join(", ", active), described, MaintenanceRecord.ANNOTATION)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            fail(BuildFailures.toBuildFailure(FUNCTION, e));
        }
    }

    private RepairRun run() throws IOException, InterruptedException {
        if (run == null) {
            Progress progress = JenkinsProgress.of(listener());
            if (client == null) {
                client = host.client(cluster, getContext(), progress);
            }
            run = new RepairRun(client, ApiRetries.policy(), settings(), PluginServices.clock(), progress,
                    host.pinLedger(), state);
        }
        return run;
    }

    /** The Jenkins side of the run: the body as the repair, watches on the workers, agents, the result action. */
    private final class JenkinsPort implements RepairRun.Port {

        @Override
        public void startRepair(String repaired) throws IOException, InterruptedException {
            // a repair always runs where the body puts it (an agent of the user's choice), never on the controller
            getContext().newBodyInvoker()
                    .withContext(host.bodyContext(getContext(), repaired))
                    .withCallback(new RepairBodyCallback(RepairNodeExecution.this, repaired))
                    .start();
        }

        @Override
        public void watch(String watched) {
            ChangeSignal signal = new ChangeSignal(RepairNodeExecution.this::soon);
            signal.watchNode(client, watched);
            watches().put(watched, signal);
        }

        @Override
        public void agentPods(String repaired, Set<String> pods) {
            for (String agent : pods) {
                if (!offlineAgents.containsKey(agent) && host.takeAgentOffline(agent, repaired)) {
                    offlineAgents.put(agent, repaired);
                    log("agent " + agent + " taken offline while " + repaired + " is repaired");
                }
            }
        }

        @Override
        public void nodeFinished(RepairResult result) throws IOException, InterruptedException {
            releaseAgents(result.node());
            ChangeSignal signal = watches().remove(result.node());
            if (signal != null) {
                signal.close();
            }
            List<String> lines = new ArrayList<>();
            result.timeline().forEach(e -> lines.add(e.toString()));
            lines.add(result.outcome() + ": " + result.message());
            host.showResult(getContext(), new ResultAction("repairNode " + result.node(), lines, result.document()));
            log(result.outcome() + ": " + result.message());
        }

        @Override
        public void saveState() {
            getContext().saveState();
        }
    }

    private void complete(RunTurn.Finished f) {
        finished = true;
        close();
        if (f.node().isPresent()) {
            RepairResult result = f.node().get();
            if (result.outcome().success()) {
                getContext().onSuccess(RepairStepResults.ofNode(result));
            } else {
                getContext().onFailure(new AbortException(result.message()));
            }
        } else if (f.anyFailed()) {
            long failed = f.report().nodes().stream().filter(e -> RepairOutcome.FAILED.name().equals(e.outcome())
                    || RepairOutcome.ABORTED.name().equals(e.outcome())).count();
            getContext().onFailure(new AbortException(Messages.RepairNodeStep_ScheduledFailed(pool, failed)));
        } else {
            getContext().onSuccess(RepairStepResults.ofPool(f.report()));
        }
    }

    private void fail(Throwable t) {
        finished = true;
        releaseAgents(null);
        close();
        try {
            String what = state == null || state.getActive().isEmpty() ? ""
                    : " " + String.join(", ", state.getActive().keySet());
            host.showResult(getContext(), ResultAction.failed(FUNCTION + what, BuildFailures.describe(t)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.log(Level.FINE, "could not record the failure on the build", e);
        }
        getContext().onFailure(t);
    }

    private RepairSettings settings() {
        return host.settings().with(new RepairSettings.Overrides(
                taskSelector.isEmpty() ? null : taskSelector,
                taskTimeout.isEmpty() ? null : Require.duration("taskTimeout", taskTimeout),
                verifyTimeout.isEmpty() ? null : Require.duration("verifyTimeout", verifyTimeout),
                stabilizationWindow.isEmpty() ? null : Require.duration("stabilizationWindow", stabilizationWindow),
                null));
    }

    private TaskListener listener() throws IOException, InterruptedException {
        return getContext().get(TaskListener.class);
    }

    private void log(String line) {
        try {
            listener().getLogger().println("[repairNode] " + line);
        } catch (IOException | InterruptedException e) {
            LOG.log(Level.FINE, "could not write to the build log: " + line, e);
        }
    }

    /** Brings back the agents taken offline for {@code repaired}, or all of them when it is null. */
    private void releaseAgents(String repaired) {
        for (Map.Entry<String, String> agent : new ArrayList<>(offlineAgents.entrySet())) {
            if (repaired != null && !repaired.equals(agent.getValue())) {
                continue;
            }
            try {
                host.bringAgentBack(agent.getKey());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not bring agent " + agent.getKey() + " back online", e);
            }
            offlineAgents.remove(agent.getKey());
        }
    }

    /** A change on a node or its pods: look again soon (changes come in bursts, so they are coalesced). */
    private void soon() {
        if (!soon) {
            soon = true;
            try {
                host.timer().schedule(this::changed, 200, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                soon = false;
            }
        }
    }

    private synchronized void changed() {
        soon = false;
        if (run != null) {
            run.wakeAll();
        }
        tick();
    }

    private synchronized void schedule(Duration delay) {
        if (finished || suspended) {
            return;
        }
        cancelNext();
        try {
            next = host.timer().schedule(this::tick, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the controller is shutting down; the state is kept and onResume continues after the restart
            LOG.log(Level.FINE, "not scheduling the repair: the timer is shut down");
        }
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private Map<String, ChangeSignal> watches() {
        if (watches == null) {
            watches = new HashMap<>();
        }
        return watches;
    }

    private void close() {
        watches().values().forEach(ChangeSignal::close);
        watches().clear();
        run = null;
        if (client != null) {
            client.close();
            client = null;
        }
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
     * Reports the end of the body on one node to the execution. It holds the execution itself: Pipeline saves both
     * in the same program state, so after a restart the callback reaches the resumed execution.
     */
    static final class RepairBodyCallback extends BodyExecutionCallback {

        private static final long serialVersionUID = 2L;

        private final RepairNodeExecution execution;
        private final String node;

        RepairBodyCallback(RepairNodeExecution execution, String node) {
            this.execution = execution;
            this.node = node;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            execution.repairEnded(node, true, "");
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
                execution.repairEnded(node, false, t.getMessage() == null ? t.toString() : t.getMessage());
            }
        }
    }
}
