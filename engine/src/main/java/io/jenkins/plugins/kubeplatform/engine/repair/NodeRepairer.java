package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The blocking driver of a {@link RepairRun}, for callers that can hold a thread (the CLI, the repair page, the demo,
 * tests): repairs one node, or finds the faulty nodes of a pool and repairs them within its concurrency limit. Waits
 * block on cluster watches, bounded by the recheck interval. An interrupt aborts: every node in progress is left
 * cordoned with state ABORTED.
 */
public final class NodeRepairer {

    private static final Duration COALESCE = Duration.ofMillis(50);

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final RepairSettings settings;
    private final Clock clock;
    private Optional<IpReservationLedger> ledger = Optional.empty();

    public NodeRepairer(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock) {
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
    }

    /** Records released sticky-IP pins (SIP-15) on the reservations of this ledger; returns this repairer. */
    public NodeRepairer recordingPinReleasesIn(IpReservationLedger ledger) {
        this.ledger = Optional.of(ledger);
        return this;
    }

    /**
     * Repairs one node: drain, {@code action}, verify, release (REP-1..REP-8). The request's node and owner are used;
     * a one-node run always waits for a free slot of its pool and resumes from the node's record.
     */
    public RepairResult repair(RepairRequest request, RepairAction action, Progress progress) throws InterruptedException {
        RepairRun run = newRun(RepairRunState.forNode(request.node(), request.owner()), progress);
        return drive(run, action, progress).node().orElseThrow();
    }

    /** A run over {@code state} with this repairer's client, settings, clock and ledger. */
    public RepairRun newRun(RepairRunState state, Progress progress) {
        return new RepairRun(client, retry, settings, clock, progress, ledger, state);
    }

    /**
     * What {@link #repair} would do on the node as it is now, decided by the same planner, changing nothing; with
     * {@code sendDryRun} the node, pod and lease writes are also sent with {@code dryRun=All}.
     *
     * @param repairAction how the repair step is described in the plan (e.g. the command it runs)
     */
    public ChangePlan plan(RepairRequest request, String repairAction,
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

    /** Scheduled mode (REP-9): detect, then repair the faulty nodes, at most the pool's limit at a time. */
    public ScheduledReport repairFaulty(String pool, DetectRules rules, String owner, RepairAction action,
                                        Progress progress) throws InterruptedException {
        RepairRun run = newRun(RepairRunState.forPool(RepairRun.poolNamed(settings, pool).name(), rules, owner),
                progress);
        return drive(run, action, progress).report();
    }

    /**
     * Drives {@code run} to its end on this thread, blocking on cluster watches between turns; repair actions run on
     * their own threads.
     */
    private RunTurn.Finished drive(RepairRun run, RepairAction action, Progress progress) throws InterruptedException {
        ExecutorService repairs = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "node-repair");
            t.setDaemon(true);
            return t;
        });
        try (ChangeSignal signal = new ChangeSignal()) {
            RepairRun.Port port = new BlockingPort(run, action, progress, signal, repairs);
            try {
                while (true) {
                    RunTurn turn = run.advance(port);
                    if (turn instanceof RunTurn.Finished f) {
                        return f;
                    }
                    Duration wait = ((RunTurn.Waiting) turn).atMost();
                    if (!wait.isNegative() && !wait.isZero() && signal.await(wait)) {
                        Thread.sleep(COALESCE.toMillis());
                        run.wakeAll();
                    }
                }
            } catch (InterruptedException e) {
                throw abortAll(run, progress, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || causedByInterrupt(e)) {
                    throw abortAll(run, progress, e);
                }
                throw e;
            }
        } finally {
            repairs.shutdownNow();
        }
    }

    /** The blocking driver's side of a run: repair actions on their own threads, watches on one signal. */
    private final class BlockingPort implements RepairRun.Port {

        private final RepairRun run;
        private final RepairAction action;
        private final Progress progress;
        private final ChangeSignal signal;
        private final ExecutorService repairs;

        BlockingPort(RepairRun run, RepairAction action, Progress progress, ChangeSignal signal,
                     ExecutorService repairs) {
            this.run = run;
            this.action = action;
            this.progress = progress;
            this.signal = signal;
            this.repairs = repairs;
        }

        @Override
        public void startRepair(String node) {
            repairs.submit(() -> runRepair(node));
        }

        @Override
        public void watch(String node) {
            try {
                signal.watchNode(client, node);
            } catch (RuntimeException e) {
                progress.warn(node + ": could not watch the node (" + e.getMessage() + "); checking every "
                        + settings.maxWait() + " instead");
            }
        }

        private void runRepair(String node) {
            try {
                action.repair(node, progress);
                run.repairEnded(node, true, "");
            } catch (InterruptedException e) {
                run.repairEnded(node, false, "interrupted");
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                run.repairEnded(node, false, e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                signal.signal();
            }
        }
    }

    /**
     * Records ABORTED on every node in progress (the interrupt flag is cleared meanwhile: the client refuses to talk
     * on an interrupted thread) and returns the InterruptedException to throw, with the flag set again.
     */
    private static InterruptedException abortAll(RepairRun run, Progress progress, Exception cause) {
        Thread.interrupted();
        run.abort("interrupted").forEach(progress::warn);
        Thread.currentThread().interrupt();
        InterruptedException interrupted = new InterruptedException("repair interrupted; nodes in progress were left "
                + "cordoned with state ABORTED");
        interrupted.initCause(cause);
        return interrupted;
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
