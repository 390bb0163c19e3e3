package io.jenkins.plugins.kubeplatform.engine.repair;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link RepairRun} remembers across a restart of its driver: the nodes still to repair, which node is in
 * which phase with which repair slot (Lease), the serving pods it deregistered and the agents seen on it, and what
 * became of the finished ones. A plain serializable class with JDK
 * collections (a Pipeline step keeps it in its program state; Jackson can write it through its getters). The node's
 * maintenance annotation stays the authority on the node itself; this state only says which nodes the run owns.
 */
public final class RepairRunState implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String pool;
    private final String owner;
    private final long notReadyForMillis;
    private final ArrayList<String> conditions;
    private final ArrayList<String> taints;
    private boolean started;
    private int nodesChecked;
    private final ArrayList<String> queue = new ArrayList<>();
    private final LinkedHashMap<String, NodeRun> active = new LinkedHashMap<>();
    private final ArrayList<NodeReport> reports = new ArrayList<>();
    /** Faults found for queued nodes (moved onto their {@link NodeRun} when they start). */
    private final LinkedHashMap<String, ArrayList<String>> faultsWaiting = new LinkedHashMap<>();

    private RepairRunState(String pool, String owner, DetectRules rules) {
        this.pool = pool;
        this.owner = owner;
        this.notReadyForMillis = rules == null ? 0 : rules.notReadyFor().toMillis();
        this.conditions = rules == null ? new ArrayList<>() : new ArrayList<>(rules.conditions());
        this.taints = rules == null ? new ArrayList<>() : new ArrayList<>(rules.taints());
    }

    /** A run that repairs one named node, waiting for a free slot of its pool. */
    public static RepairRunState forNode(String node, String owner) {
        RepairRunState state = new RepairRunState("", owner, null);
        state.queue.add(node);
        return state;
    }

    /** A scheduled run: finds the faulty nodes of {@code pool} by {@code rules} and repairs them. */
    public static RepairRunState forPool(String pool, DetectRules rules, String owner) {
        return new RepairRunState(pool == null || pool.isBlank() ? "default" : pool.trim(), owner, rules);
    }

    /** Empty for a one-node run. */
    public String getPool() {
        return pool;
    }

    public boolean isSingleNode() {
        return pool.isEmpty();
    }

    public String getOwner() {
        return owner;
    }

    /** Whether the run has begun (permissions checked, the pool's faulty nodes found). */
    public boolean isStarted() {
        return started;
    }

    void markStarted(int checked) {
        started = true;
        nodesChecked = checked;
    }

    /** Nodes of the pool looked at by detection. */
    public int getNodesChecked() {
        return nodesChecked;
    }

    /** Nodes waiting for one of the run's slots. */
    public List<String> getQueue() {
        return queue;
    }

    /** Nodes being repaired, by name. */
    public LinkedHashMap<String, NodeRun> getActive() {
        return active;
    }

    /** Every node the run found (queued, skipped or ended) or repaired, in the order detection listed them. */
    public List<NodeReport> getReports() {
        return reports;
    }

    /** Detection rules, as given (empty conditions mean the configured fault conditions). */
    DetectRules rules(RepairSettings settings) {
        return new DetectRules(Duration.ofMillis(notReadyForMillis),
                conditions.isEmpty() ? settings.faultConditions() : conditions, taints);
    }

    void enqueue(String node, List<String> faults) {
        queue.add(node);
        faultsWaiting.put(node, new ArrayList<>(faults));
    }

    Optional<NodeRun> next() {
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        String node = queue.remove(0);
        NodeRun run = new NodeRun(node, faultsWaiting.getOrDefault(node, new ArrayList<>()));
        faultsWaiting.remove(node);
        active.put(node, run);
        return Optional.of(run);
    }

    /** Tells the state that the repair action on {@code node} ended; returns whether the node is in progress. */
    public boolean repairEnded(String node, boolean succeeded, String message) {
        NodeRun run = active.get(node);
        if (run == null) {
            return false;
        }
        run.repairEnded(succeeded, message);
        return true;
    }

    /** Records how {@code node} ended (replacing what detection noted for it). */
    void report(String node, List<String> faults, String outcome, String message) {
        NodeReport report = new NodeReport(node, faults, outcome, message);
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i).getNode().equals(node)) {
                reports.set(i, report);
                return;
            }
        }
        reports.add(report);
    }

    boolean done() {
        return started && queue.isEmpty() && active.isEmpty();
    }

    /** One node of the run being repaired. */
    public static final class NodeRun implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String node;
        private final ArrayList<String> faults;
        private boolean begun;
        private String phase = "";
        private String lease = "";
        private final ArrayList<String> deregistered = new ArrayList<>();
        private boolean repairRunning;
        private Boolean repairSucceeded;
        private String repairMessage = "";
        private final ArrayList<String> agentPods = new ArrayList<>();

        NodeRun(String node, ArrayList<String> faults) {
            this.node = node;
            this.faults = faults;
        }

        public String getNode() {
            return node;
        }

        public List<String> getFaults() {
            return faults;
        }

        /** Whether a session has begun on the node (a new one resumes from the node's record). */
        public boolean isBegun() {
            return begun;
        }

        void begin() {
            begun = true;
        }

        /** The maintenance state the run last saw on the node (e.g. WAITING_FOR_TASKS; PENDING before the first). */
        public String getPhase() {
            return phase;
        }

        /** The repair slot (Lease name) held for the node when last observed; empty when none. */
        public String getLease() {
            return lease;
        }

        /** Whether the node carries this repair's maintenance record (cordoned and tainted by it). */
        public boolean isCordoned() {
            return !phase.isEmpty() && !"PENDING".equals(phase);
        }

        /** Serving pods whose traffic label the repair removed (put back at release). */
        public List<String> getDeregistered() {
            return deregistered;
        }

        void observed(String newPhase, String heldLease, Iterable<String> deregisteredPods) {
            phase = newPhase;
            lease = heldLease;
            for (String pod : deregisteredPods) {
                if (!deregistered.contains(pod)) {
                    deregistered.add(pod);
                }
            }
        }

        /** Whether the repair action (the body or command) was started and has not reported back yet. */
        public boolean isRepairRunning() {
            return repairRunning;
        }

        void repairStarted() {
            repairRunning = true;
            repairSucceeded = null;
        }

        void repairEnded(boolean succeeded, String message) {
            repairRunning = false;
            repairSucceeded = succeeded;
            repairMessage = message == null ? "" : message;
        }

        /** The ended repair's outcome not yet handed to the session, if any; clears it. */
        Optional<Boolean> takeRepairEnd() {
            Optional<Boolean> end = Optional.ofNullable(repairSucceeded);
            repairSucceeded = null;
            return end;
        }

        public String getRepairMessage() {
            return repairMessage;
        }

        /** Jenkins agent pods seen on the node (their agents are kept off new builds until release). */
        public List<String> getAgentPods() {
            return agentPods;
        }

        void addAgentPods(Iterable<String> pods) {
            for (String pod : pods) {
                if (!agentPods.contains(pod)) {
                    agentPods.add(pod);
                }
            }
        }
    }

    /** How a node of the run ended, or why detection skipped it. */
    public static final class NodeReport implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String node;
        private final ArrayList<String> faults;
        private final String outcome;
        private final String message;

        NodeReport(String node, List<String> faults, String outcome, String message) {
            this.node = node;
            this.faults = new ArrayList<>(faults);
            this.outcome = outcome;
            this.message = message;
        }

        public String getNode() {
            return node;
        }

        public List<String> getFaults() {
            return faults;
        }

        public String getOutcome() {
            return outcome;
        }

        public String getMessage() {
            return message;
        }
    }
}
