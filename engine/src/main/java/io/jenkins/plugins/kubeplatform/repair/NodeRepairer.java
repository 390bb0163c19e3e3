package io.jenkins.plugins.kubeplatform.repair;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The public entry point for callers that can block a thread (the CLI, the demo, tests): repairs one node, or finds
 * the faulty nodes of a pool and repairs them within its concurrency limit. Waits block on cluster watches, bounded
 * by the recheck interval. An interrupt aborts: every node in progress is left cordoned with state ABORTED.
 */
public final class NodeRepairer {

    private static final Duration COALESCE = Duration.ofMillis(50);

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final RepairSettings settings;
    private final Clock clock;
    private java.util.Optional<io.jenkins.plugins.kubeplatform.stickyip.IpReservationLedger> ledger =
            java.util.Optional.empty();

    public NodeRepairer(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock) {
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
    }

    /** Records released sticky-IP pins (SIP-15) on the reservations of this ledger; returns this repairer. */
    public NodeRepairer recordingPinReleasesIn(io.jenkins.plugins.kubeplatform.stickyip.IpReservationLedger ledger) {
        this.ledger = java.util.Optional.of(ledger);
        return this;
    }

    /** Repairs one node: drain, {@code action}, verify, release (REP-1..REP-8). */
    public RepairResult repair(RepairRequest request, RepairAction action, Progress progress) throws InterruptedException {
        checkAccess(client, retry, settings);
        new ClusterObserver(client, retry, settings).node(request.node());
        RepairSession session = new RepairSession(client, retry, settings, clock, request, progress, ledger);
        return drive(List.of(session), action, progress, settings.maxConcurrent()).get(0);
    }

    /**
     * What {@link #repair} would do on the node as it is now, decided by the same planner, changing nothing; with
     * {@code sendDryRun} the node, pod and lease writes are also sent with {@code dryRun=All}.
     *
     * @param repairAction how the repair step is described in the plan (e.g. the command it runs)
     */
    public io.jenkins.plugins.kubeplatform.core.ChangePlan plan(RepairRequest request, String repairAction,
                                                                 boolean sendDryRun) {
        return new RepairRehearsal(client, retry, settings, clock, sendDryRun).plan(request, repairAction);
    }

    /**
     * The permission pre-check of a repair (docs/rbac.yaml, roles kubeplatform-repairNode*): fails naming every
     * permission the credential lacks before a lease is taken or a node cordoned.
     */
    public static void checkAccess(KubernetesClient client, ApiRetry retry, RepairSettings settings) {
        AccessCheck.require(client, retry, "repairNode", permissions(settings));
    }

    /**
     * Every permission a repair may use: the pool lease in the lease namespace; cluster-wide the node (cordon,
     * watch, uncordon), the pods on it (list, watch, traffic label removal, eviction under PodDisruptionBudgets),
     * the Services and endpoints that route to them, and the Deployments whose required node pins are released.
     */
    static List<AccessCheck.Permission> permissions(RepairSettings settings) {
        List<AccessCheck.Permission> needed = new ArrayList<>();
        for (String verb : List.of("get", "list", "create", "update")) {
            needed.add(AccessCheck.Permission.in(settings.leaseNamespace(), verb, "coordination.k8s.io", "leases"));
        }
        for (String verb : List.of("get", "list", "watch", "update")) {
            needed.add(AccessCheck.Permission.cluster(verb, "", "nodes"));
            needed.add(AccessCheck.Permission.cluster(verb, "", "pods"));
        }
        needed.add(AccessCheck.Permission.cluster("create", "", "pods/eviction"));
        for (String verb : List.of("list", "get", "update")) {
            needed.add(AccessCheck.Permission.cluster(verb, "apps", "deployments"));
        }
        for (String verb : List.of("get", "list")) {
            needed.add(AccessCheck.Permission.cluster(verb, "", "services"));
            needed.add(AccessCheck.Permission.cluster(verb, "", "endpoints"));
        }
        needed.add(AccessCheck.Permission.cluster("list", "discovery.k8s.io", "endpointslices"));
        needed.add(AccessCheck.Permission.cluster("list", "policy", "poddisruptionbudgets"));
        return needed;
    }

    /** The faulty nodes of a pool, and why a run would skip some of them. */
    public List<FaultDetector.Finding> detect(String pool, DetectRules rules) {
        PoolSettings p = poolNamed(pool);
        List<NodeView> nodes = new ClusterObserver(client, retry, settings).nodes().stream()
                .filter(n -> settings.poolOf(n.labels()).name().equals(p.name())).toList();
        return FaultDetector.detect(nodes, rules, clock.instant());
    }

    /** Scheduled mode (REP-9): detect, then repair the faulty nodes, at most the pool's limit at a time. */
    public ScheduledReport repairFaulty(String pool, DetectRules rules, String owner, RepairAction action,
                                        Progress progress) throws InterruptedException {
        PoolSettings p = poolNamed(pool);
        checkAccess(client, retry, settings);
        List<NodeView> nodes = new ClusterObserver(client, retry, settings).nodes().stream()
                .filter(n -> settings.poolOf(n.labels()).name().equals(p.name())).toList();
        List<FaultDetector.Finding> findings = FaultDetector.detect(nodes, rules, clock.instant());
        progress.plan("pool " + p.name() + ": " + nodes.size() + " node(s) checked, " + findings.size() + " faulty"
                + (findings.isEmpty() ? "" : " (" + String.join(", ", findings.stream().map(f -> f.node() + ": "
                + String.join(", ", f.faults())).toList()) + ")") + "; repairing at most " + p.maxConcurrent() + " at a time");
        Map<String, ScheduledReport.Entry> entries = new LinkedHashMap<>();
        List<RepairSession> sessions = new ArrayList<>();
        for (FaultDetector.Finding f : findings) {
            if (f.skip().isPresent()) {
                progress.step(f.node() + ": skipped, " + f.skip().get());
                entries.put(f.node(), new ScheduledReport.Entry(f.node(), f.faults(), "SKIPPED", f.skip().get(), List.of()));
            } else {
                sessions.add(new RepairSession(client, retry, settings, clock,
                        new RepairRequest(f.node(), owner, false, false), progress, ledger));
                entries.put(f.node(), null);
            }
        }
        List<RepairResult> results = drive(sessions, action, progress, p.maxConcurrent());
        for (RepairResult r : results) {
            List<String> faults = findings.stream().filter(f -> f.node().equals(r.node())).findFirst()
                    .map(FaultDetector.Finding::faults).orElse(List.of());
            entries.put(r.node(), new ScheduledReport.Entry(r.node(), faults, r.outcome().name(), r.message(), r.timeline()));
        }
        return new ScheduledReport(p.name(), nodes.size(), List.copyOf(entries.values()));
    }

    private PoolSettings poolNamed(String pool) {
        String name = pool == null || pool.isBlank() ? "default" : pool.trim();
        return settings.pool(name).orElseThrow(() -> new InvalidInputException("pool", "no repair pool named '" + name
                + "' is configured (configured: default" + settings.pools().stream().map(p -> ", " + p.name())
                .reduce("", String::concat) + ")"));
    }

    /**
     * Runs sessions to the end, at most {@code limit} at once, on this thread; repair actions run on their own
     * threads. Results come back in the order of {@code sessions}.
     */
    private List<RepairResult> drive(List<RepairSession> sessions, RepairAction action, Progress progress, int limit)
            throws InterruptedException {
        Deque<RepairSession> queue = new ArrayDeque<>(sessions);
        Map<RepairSession, Instant> active = new LinkedHashMap<>();
        Map<RepairSession, RepairResult> done = new LinkedHashMap<>();
        Set<RepairSession> repaired = ConcurrentHashMap.newKeySet();
        ExecutorService repairs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "node-repair");
            t.setDaemon(true);
            return t;
        });
        try (ChangeSignal signal = new ChangeSignal()) {
            try {
                while (!queue.isEmpty() || !active.isEmpty()) {
                    while (active.size() < limit && !queue.isEmpty()) {
                        RepairSession s = queue.poll();
                        active.put(s, Instant.MIN);
                        watchQuietly(signal, s.node(), progress);
                    }
                    boolean changed = false;
                    for (RepairSession s : List.copyOf(active.keySet())) {
                        if (active.get(s) == null && repaired.remove(s)) {
                            active.put(s, Instant.MIN);
                        }
                        Instant wake = active.get(s);
                        if (wake == null || wake.isAfter(clock.instant())) {
                            continue;
                        }
                        SessionStep step = s.step();
                        if (step instanceof SessionStep.Finished f) {
                            active.remove(s);
                            done.put(s, f.result());
                            changed = true;
                        } else if (step instanceof SessionStep.Waiting w) {
                            active.put(s, clock.instant().plus(w.atMost()));
                        } else if (step instanceof SessionStep.RepairNeeded) {
                            active.put(s, null);
                            repairs.submit(() -> runRepair(s, action, progress, signal, repaired));
                        }
                    }
                    if (changed || active.isEmpty() || !repaired.isEmpty()) {
                        continue;
                    }
                    Optional<Instant> next = active.values().stream().filter(v -> v != null).min(Instant::compareTo);
                    Duration wait = next.map(t -> Duration.between(clock.instant(), t)).orElse(settings.maxWait());
                    if (!wait.isNegative() && !wait.isZero() && signal.await(wait)) {
                        Thread.sleep(COALESCE.toMillis());
                        active.replaceAll((s, t) -> t == null ? null : Instant.MIN);
                    }
                }
            } catch (InterruptedException e) {
                throw abortAll(active.keySet(), progress, e);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || causedByInterrupt(e)) {
                    throw abortAll(active.keySet(), progress, e);
                }
                throw e;
            }
        } finally {
            repairs.shutdownNow();
        }
        return sessions.stream().map(done::get).toList();
    }

    /**
     * Records ABORTED on every node in progress (the interrupt flag is cleared meanwhile: the client refuses to talk
     * on an interrupted thread) and returns the InterruptedException to throw, with the flag set again.
     */
    private InterruptedException abortAll(Iterable<RepairSession> sessions, Progress progress, Exception cause) {
        Thread.interrupted();
        for (RepairSession s : sessions) {
            try {
                progress.warn(s.abort("interrupted").message());
            } catch (RuntimeException e) {
                progress.warn(s.node() + ": could not record the abort (" + e.getMessage() + "); it stays cordoned in "
                        + "its last recorded state");
            }
        }
        Thread.currentThread().interrupt();
        InterruptedException interrupted = new InterruptedException("repair interrupted; nodes in progress were left "
                + "cordoned with state ABORTED");
        interrupted.initCause(cause);
        return interrupted;
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private void runRepair(RepairSession session, RepairAction action, Progress progress, ChangeSignal signal,
                           Set<RepairSession> repaired) {
        try {
            action.repair(session.node(), progress);
            session.repairFinished(true, "");
        } catch (InterruptedException e) {
            session.repairFinished(false, "interrupted");
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            session.repairFinished(false, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            repaired.add(session);
            signal.signal();
        }
    }

    private void watchQuietly(ChangeSignal signal, String node, Progress progress) {
        try {
            signal.watchNode(client, node);
        } catch (RuntimeException e) {
            progress.warn(node + ": could not watch the node (" + e.getMessage() + "); checking every "
                    + settings.maxWait() + " instead");
        }
    }
}
