package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps {@code spec.replicas} pods per ReplicaSet (pods owned through a controller reference), deleting surplus
 * pods unscheduled first, then not ready, then newest; reports replicas, ready and available counts; deletes its
 * pods when the ReplicaSet is deleted.
 */
public final class ReplicaSetController implements SimController {

    private SimContext ctx;
    private Observed<ReplicaSet> sets;
    private Observed<Pod> pods;
    private ReconcileQueue<ReplicaSet> reconciles;

    @Override
    public String name() {
        return "replicaset-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
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
        if (owned.size() < want) {
            for (int i = owned.size(); i < want; i++) {
                Pod pod = Workloads.podFromTemplate(rs, rs.getSpec().getTemplate(),
                        rs.getMetadata().getName() + "-" + Workloads.suffix(), Map.of());
                Pod created = Workloads.create(ctx.client(), pod);
                pods.put(created);
                owned.add(created);
            }
        } else if (owned.size() > want) {
            owned.sort(Comparator.<Pod, Boolean>comparing(p -> p.getSpec().getNodeName() != null)
                    .thenComparing(PodStates::isReady)
                    .thenComparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                            : p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()));
            for (Pod victim : owned.subList(0, owned.size() - want)) {
                Writes.delete(ctx.client(), victim);
                pods.remove(victim);
            }
            owned = owned.subList(owned.size() - want, owned.size());
        }
        int ready = (int) owned.stream().filter(PodStates::isReady).count();
        int replicas = owned.size();
        long generation = Workloads.generation(rs);
        ReplicaSetStatus current = rs.getStatus();
        if (current != null && Objects.equals(current.getReplicas(), replicas)
                && Objects.equals(current.getReadyReplicas(), ready)
                && Objects.equals(current.getAvailableReplicas(), ready)
                && Objects.equals(current.getObservedGeneration(), generation)) {
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
            r.setStatus(s);
            return true;
        }).ifPresent(sets::put);
    }
}
