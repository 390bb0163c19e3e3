package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One repairNode run (a named node, or the faulty nodes of a pool within its concurrency limit), advanced in short
 * turns by whoever drives it: the Pipeline step parks between turns on its workers, {@link NodeRepairer} (CLI,
 * repair page, tests) blocks on cluster watches. Each turn opens {@link RepairSession}s for free slots, steps the
 * sessions that are due and hands repair actions to the driver's {@link Port}. Everything needed to continue after a
 * restart is in the {@link RepairRunState}; a new run over the same state resumes every node from its record.
 */
public final class RepairRun {

    /** What the run needs from its driver. */
    public interface Port {

        /** Starts the repair action on {@code node} without waiting for it; its end comes back by {@link #repairEnded}. */
        void startRepair(String node) throws IOException, InterruptedException;

        /** A node's session opened in this process: advance again soon when the node or its pods change. */
        default void watch(String node) {
        }

        /**
         * Jenkins agent pods seen on a node under repair, after every step that looked at it (the plugin keeps their
         * agents off new builds, retrying those it could not take offline yet).
         */
        default void agentPods(String node, Set<String> pods) {
        }

        /** A node's repair ended (its watch may close, its agents come back, its result be shown). */
        default void nodeFinished(RepairResult result) throws IOException, InterruptedException {
        }

        /** The state changed in a way that must survive a restart: persist it now. */
        default void saveState() {
        }
    }

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final RepairSettings settings;
    private final Clock clock;
    private final Progress progress;
    private final Optional<IpReservationLedger> ledger;
    private final RepairRunState state;
    private final Map<String, RepairSession> sessions = new HashMap<>();
    private final Map<String, Instant> wake = new HashMap<>();
    private final Map<String, RepairResult> results = new HashMap<>();
    private RepairResult last;

    /** @param ledger the sticky-IP ledger on whose reservations released pins are recorded (SIP-15) */
    public RepairRun(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock, Progress progress,
                     Optional<IpReservationLedger> ledger, RepairRunState state) {
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
        this.progress = progress;
        this.ledger = ledger;
        this.state = state;
    }

    public RepairRunState state() {
        return state;
    }

    /** One turn: begin if new, fill free slots, step every due session; never sleeps through a wait. */
    public synchronized RunTurn advance(Port port) throws IOException, InterruptedException {
        if (!state.isStarted()) {
            begin(port);
        }
        boolean changed = true;
        while (changed) {
            fillSlots(port);
            changed = false;
            for (String node : List.copyOf(state.getActive().keySet())) {
                changed |= stepNode(node, port);
            }
        }
        if (state.done()) {
            return new RunTurn.Finished(report(), state.isSingleNode() ? Optional.ofNullable(last) : Optional.empty());
        }
        return new RunTurn.Waiting(nextWake());
    }

    /** The repair action on {@code node} ended; the next turn hands that to its session. */
    public synchronized void repairEnded(String node, boolean succeeded, String message) {
        if (state.repairEnded(node, succeeded, message)) {
            wake.put(node, Instant.MIN);
        }
    }

    /** Something changed on a watched node: every waiting session is looked at in the next turn. */
    public synchronized void wakeAll() {
        wake.replaceAll((node, at) -> Instant.MIN);
    }

    /**
     * Records ABORTED on every node in progress (it stays cordoned) and returns one line per node saying so; the run
     * is over afterwards.
     */
    public synchronized List<String> abort(String why) {
        List<String> lines = new ArrayList<>();
        for (String node : List.copyOf(state.getActive().keySet())) {
            try {
                RepairSession s = sessions.containsKey(node) ? sessions.get(node) : newSession(node, true);
                lines.add(s.abort(why).message());
            } catch (RuntimeException e) {
                lines.add(node + ": could not record the abort (" + e.getMessage() + "); it stays cordoned in its last "
                        + "recorded state");
            }
        }
        return lines;
    }

    /** One line for a build's status: what each node in progress is doing or waiting for. */
    public synchronized String status() {
        List<String> parts = new ArrayList<>();
        for (RepairRunState.NodeRun run : state.getActive().values()) {
            RepairSession s = sessions.get(run.getNode());
            parts.add(run.getNode() + ": " + (run.isRepairRunning() ? "repair running"
                    : s != null ? s.status() : run.getPhase()));
        }
        return parts.isEmpty() ? "between steps" : String.join("; ", parts);
    }

    /** The nodes in progress, in the order they started. */
    public synchronized List<String> activeNodes() {
        return List.copyOf(state.getActive().keySet());
    }

    private void begin(Port port) {
        NodeRepairer.checkAccess(client, retry, settings); // before a lease is taken or a node cordoned
        if (state.isSingleNode()) {
            new ClusterObserver(client, retry, settings).node(state.getQueue().get(0));
            state.markStarted(1);
        } else {
            detect();
        }
        port.saveState();
    }

    private void detect() {
        PoolSettings p = poolNamed(settings, state.getPool());
        List<NodeView> nodes = poolNodes(p);
        List<FaultDetector.Finding> findings = FaultDetector.detect(nodes, state.rules(settings), clock.instant());
        progress.plan("pool " + p.name() + ": " + nodes.size() + " node(s) checked, " + findings.size() + " faulty"
                + (findings.isEmpty() ? "" : " (" + String.join(", ", findings.stream().map(f -> f.node() + ": "
                + String.join(", ", f.faults())).toList()) + ")") + "; repairing at most " + p.maxConcurrent()
                + " at a time");
        for (FaultDetector.Finding f : findings) {
            if (f.skip().isPresent()) {
                progress.step(f.node() + ": skipped, " + f.skip().get());
                state.report(f.node(), f.faults(), "SKIPPED", f.skip().get());
            } else {
                state.report(f.node(), f.faults(), "QUEUED", "waiting for a repair slot");
                state.enqueue(f.node(), f.faults());
            }
        }
        state.markStarted(nodes.size());
    }

    /** The nodes of pool {@code p}, as the cluster shows them now. */
    private List<NodeView> poolNodes(PoolSettings p) {
        return new ClusterObserver(client, retry, settings).nodes().stream()
                .filter(n -> settings.poolOf(n.labels()).name().equals(p.name())).toList();
    }

    static PoolSettings poolNamed(RepairSettings settings, String pool) {
        String name = pool == null || pool.isBlank() ? "default" : pool.trim();
        return settings.pool(name).orElseThrow(() -> new InvalidInputException("pool", "no repair pool named '" + name
                + "' is configured (configured: default" + settings.pools().stream().map(p -> ", " + p.name())
                .reduce("", String::concat) + ")"));
    }

    private void fillSlots(Port port) {
        int limit = state.isSingleNode() ? 1 : poolNamed(settings, state.getPool()).maxConcurrent();
        while (state.getActive().size() < limit) {
            Optional<RepairRunState.NodeRun> next = state.next();
            if (next.isEmpty()) {
                return;
            }
            open(next.get(), port);
        }
    }

    private RepairSession open(RepairRunState.NodeRun run, Port port) {
        RepairSession session = newSession(run.getNode(), run.isBegun());
        sessions.put(run.getNode(), session);
        if (!run.isBegun()) {
            run.begin();
            port.saveState();
        }
        if (run.isRepairRunning()) {
            session.repairStillRunning();
        }
        wake.put(run.getNode(), Instant.MIN);
        port.watch(run.getNode());
        return session;
    }

    private RepairSession newSession(String node, boolean resumed) {
        return new RepairSession(client, retry, settings, clock,
                new RepairRequest(node, state.getOwner(), state.isSingleNode(), resumed), progress, ledger);
    }

    /** Steps {@code node}'s session if it is due; returns whether the node finished (a slot freed). */
    private boolean stepNode(String node, Port port) throws IOException, InterruptedException {
        RepairRunState.NodeRun run = state.getActive().get(node);
        RepairSession session = sessions.containsKey(node) ? sessions.get(node) : open(run, port);
        Optional<Boolean> ended = run.takeRepairEnd();
        if (ended.isPresent()) {
            session.repairFinished(ended.get(), run.getRepairMessage());
        } else if (run.isRepairRunning() || wake.getOrDefault(node, Instant.MIN).isAfter(clock.instant())) {
            return false;
        }
        SessionStep step = session.step();
        run.observed(session.state().map(Enum::name).orElse("PENDING"), session.leaseSlot(),
                session.deregistered());
        run.addAgentPods(session.agentPods());
        if (!session.agentPods().isEmpty()) {
            port.agentPods(node, session.agentPods());
        }
        if (step instanceof SessionStep.Waiting w) {
            wake.put(node, clock.instant().plus(w.atMost()));
        } else if (step instanceof SessionStep.RepairNeeded) {
            run.repairStarted();
            wake.remove(node);
            port.saveState();
            port.startRepair(node);
        } else if (step instanceof SessionStep.Finished f) {
            finish(run, f.result(), port);
            return true;
        }
        return false;
    }

    private void finish(RepairRunState.NodeRun run, RepairResult result, Port port)
            throws IOException, InterruptedException {
        sessions.remove(run.getNode());
        wake.remove(run.getNode());
        state.getActive().remove(run.getNode());
        state.report(run.getNode(), run.getFaults(), result.outcome().name(), result.message());
        results.put(run.getNode(), result);
        last = result;
        port.saveState();
        port.nodeFinished(result);
    }

    private Duration nextWake() {
        Instant now = clock.instant();
        return wake.values().stream().min(Instant::compareTo).map(at -> at.isBefore(now) ? Duration.ZERO
                : Duration.between(now, at)).orElse(settings.maxWait());
    }

    private ScheduledReport report() {
        List<ScheduledReport.Entry> entries = state.getReports().stream()
                .map(r -> new ScheduledReport.Entry(r.getNode(), List.copyOf(r.getFaults()), r.getOutcome(),
                        r.getMessage(), results.containsKey(r.getNode()) ? results.get(r.getNode()).timeline()
                        : List.of()))
                .toList();
        String pool = state.isSingleNode() ? Optional.ofNullable(last).map(RepairResult::pool).orElse("")
                : state.getPool();
        return new ScheduledReport(pool, state.getNodesChecked(), entries);
    }
}
