package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps {@code spec.replicas} pods per ReplicaSet (pods owned through a controller reference), deleting surplus
 * pods unscheduled first, then not ready, then newest; reports replicas, ready and available counts; deletes its
 * pods when the ReplicaSet is deleted. Pods are created in slow-start batches with {@code SuccessfulCreate} and
 * {@code FailedCreate} events; a refused create sets the ReplicaFailure condition until a sync creates without error,
 * and the ReplicaSet is synced again after the work queue's backoff.
 */
public final class ReplicaSetController implements SimController {

    /** {@code BurstReplicas} of kube-controller-manager's ReplicaSet controller: creates or deletes per sync. */
    static final int BURST_REPLICAS = 500;
    static final String REPLICA_FAILURE = "ReplicaFailure";

    private SimContext ctx;
    private Observed<ReplicaSet> sets;
    private Observed<Pod> pods;
    private ReconcileQueue<ReplicaSet> reconciles;
    private PodControl podControl;

    @Override
    public String name() {
        return "replicaset-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.podControl = new PodControl(ctx);
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> sets.get(ns, name), this::reconcile);
        this.sets = ctx.observe(ctx.client().apps().replicaSets().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(ReplicaSet rs) {
                reconciles.add(rs);
            }

        });
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                owner(pod);
            }

            @Override
            public void deleted(Pod pod) {
                owner(pod);
            }
        });
    }

    private void owner(Pod pod) {
        Workloads.controllerUid(pod).ifPresent(uid -> sets.list(rs -> uid.equals(rs.getMetadata().getUid()))
                .forEach(reconciles::add));
    }


    private void reconcile(ReplicaSet rs) {
        if (rs.getMetadata().getDeletionTimestamp() != null) {
            // The real controller manages no replicas of a ReplicaSet being deleted (replica_set.go syncReplicaSet:
            // manageReplicas only when DeletionTimestamp is nil); the garbage collector removes its dependents
            return;
        }
        List<Pod> owned = pods.list(p -> Workloads.ownedBy(p, rs) && PodStates.isActive(p));
        int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = owned.size() - want;
        Optional<KubernetesClientException> failure = Optional.empty();
        if (diff < 0) {
            // manageReplicas: at most burstReplicas creates per sync, in slow-start batches
            SlowStart.Outcome outcome = SlowStart.run(Math.min(-diff, BURST_REPLICAS), i -> {
                Pod created = podControl.create(rs, Workloads.podWithGeneratedName(rs, rs.getSpec().getTemplate(),
                        Map.of()));
                pods.put(created);
                owned.add(created);
            });
            failure = outcome.error();
        } else if (diff > 0) {
            owned.sort(Comparator.<Pod, Boolean>comparing(p -> p.getSpec().getNodeName() != null)
                    .thenComparing(PodStates::isReady)
                    .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                            : p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()));
            for (Pod victim : owned.subList(0, diff)) {
                Writes.delete(ctx.client(), victim);
                pods.remove(victim);
            }
        }
        writeStatus(rs, diff > 0 ? owned.subList(diff, owned.size()) : owned, replicaFailure(rs, failure));
        if (failure.isPresent()) {
            // syncReplicaSet returns manageReplicas' error after writing status: the queue retries with backoff
            throw new SyncError(PodControl.message(failure.get()));
        }
    }

    /**
     * The conditions after this sync ({@code calculateStatus}, replica_set_utils.go): a failed create adds
     * ReplicaFailure (True, FailedCreate, the error's message) unless the ReplicaSet has one already; a sync without
     * error removes it. (The real reason is FailedDelete when the sync was deleting; here only creates fail a sync.)
     */
    private List<ReplicaSetCondition> replicaFailure(ReplicaSet rs, Optional<KubernetesClientException> failure) {
        List<ReplicaSetCondition> conditions = new ArrayList<>(rs.getStatus() == null
                || rs.getStatus().getConditions() == null ? List.of() : rs.getStatus().getConditions());
        boolean present = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
        if (failure.isPresent() && !present) {
            String now = ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
            conditions.add(new ReplicaSetConditionBuilder().withType(REPLICA_FAILURE).withStatus("True")
                    .withReason(PodControl.FAILED_CREATE)
                    .withMessage(PodControl.message(failure.get())).withLastTransitionTime(now).build());
        } else if (failure.isEmpty() && present) {
            conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
        }
        return conditions;
    }

    private void writeStatus(ReplicaSet rs, List<Pod> owned, List<ReplicaSetCondition> conditions) {
        int ready = (int) owned.stream().filter(PodStates::isReady).count();
        int replicas = owned.size();
        long generation = Workloads.generation(rs);
        ReplicaSetStatus current = rs.getStatus();
        List<ReplicaSetCondition> before = current == null || current.getConditions() == null ? List.of()
                : current.getConditions();
        if (current != null && Objects.equals(current.getReplicas(), replicas)
                && Objects.equals(current.getReadyReplicas(), ready)
                && Objects.equals(current.getAvailableReplicas(), ready)
                && Objects.equals(current.getObservedGeneration(), generation)
                && before.equals(conditions)) {
            return;
        }
        int fully = replicas;
        Writes.updateStatus(ctx.client(), rs, r -> {
            ReplicaSetStatus s = new ReplicaSetStatus();
            s.setReplicas(replicas);
            s.setReadyReplicas(ready);
            s.setAvailableReplicas(ready);
            s.setFullyLabeledReplicas(fully);
            s.setObservedGeneration(generation);
            s.setConditions(conditions.isEmpty() ? null : conditions.stream().map(Workloads::clone)
                    .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
            r.setStatus(s);
            return true;
        }).ifPresent(sets::put);
    }
}
