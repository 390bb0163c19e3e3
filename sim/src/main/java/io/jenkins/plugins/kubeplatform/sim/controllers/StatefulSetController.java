package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * StatefulSets: pods {@code <name>-<ordinal>} with stable hostnames under the governing service. OrderedReady (the
 * default) creates ordinal i only when 0..i-1 are Running and Ready and removes the highest ordinal first, one at a
 * time; Parallel creates and removes all at once. A template change rolls pods from the highest ordinal down
 * (respecting {@code rollingUpdate.partition}), one at a time once the others are Ready; OnDelete leaves them.
 * volumeClaimTemplates get their PVCs {@code <claim>-<name>-<ordinal>}, which outlive the pods, as in Kubernetes.
 * Each pod create is reported by a {@code SuccessfulCreate} or {@code FailedCreate} event; a refused create ends the
 * pass (no status condition, as upstream) and the StatefulSet is synced again after the work queue's backoff.
 */
public final class StatefulSetController implements SimController {

    static final String REVISION_LABEL = "controller-revision-hash";

    private SimContext ctx;
    private Observed<StatefulSet> sets;
    private Observed<Pod> pods;
    private ReconcileQueue<StatefulSet> reconciles;

    @Override
    public String name() {
        return "statefulset-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> sets.get(ns, name), this::reconcile);
        this.sets = ctx.observe(ctx.client().apps().statefulSets().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(StatefulSet s) {
                reconciles.add(s);
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
        Workloads.controllerUid(pod).ifPresent(uid -> sets.list(s -> uid.equals(s.getMetadata().getUid()))
                .forEach(reconciles::add));
    }


    private void reconcile(StatefulSet s) {
        if (s.getMetadata().getDeletionTimestamp() != null) {
            // The real controller leaves the pods of a StatefulSet being deleted alone (stateful_set_control.go
            // performUpdate/updateStatefulSet: status only when DeletionTimestamp is set); the garbage collector
            // removes its dependents
            return;
        }
        int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        boolean parallel = "Parallel".equals(s.getSpec().getPodManagementPolicy());
        String revision = s.getMetadata().getName() + "-" + Workloads.templateHash(s.getSpec().getTemplate());
        Map<Integer, Pod> byOrdinal = new LinkedHashMap<>();
        for (Pod p : pods.list(p -> Workloads.ownedBy(p, s))) {
            ordinal(s, p).ifPresent(o -> byOrdinal.put(o, p));
        }
        boolean busy = false;
        Optional<KubernetesClientException> failure = Optional.empty();
        // create missing ordinals: Parallel in slow-start batches over all ordinals (runForAll), OrderedReady one
        // at a time, the first missing or unready ordinal ending the pass
        if (parallel) {
            failure = SlowStart.run(replicas, i -> {
                if (!byOrdinal.containsKey(i)) {
                    create(s, i, revision);
                }
            }).error();
            busy = java.util.stream.IntStream.range(0, replicas).mapToObj(byOrdinal::get)
                    .anyMatch(p -> p == null || !PodStates.isReady(p) || PodStates.isTerminating(p));
        } else {
            for (int i = 0; i < replicas; i++) {
                Pod p = byOrdinal.get(i);
                if (p == null) {
                    busy = true;
                    try {
                        create(s, i, revision);
                    } catch (KubernetesClientException e) {
                        failure = Optional.of(e);
                    }
                    break;
                } else if (!PodStates.isReady(p) || PodStates.isTerminating(p)) {
                    busy = true;
                    break;
                }
            }
        }
        if (failure.isPresent()) {
            // updateStatefulSet returns the error before scaling down or updating; the status is still written and
            // the queue retries with backoff
            writeStatus(s, revision, replicas);
            throw new SyncError(PodControl.message(failure.get()));
        }
        // remove surplus ordinals, highest first
        List<Integer> surplus = new ArrayList<>(byOrdinal.keySet().stream().filter(o -> o >= replicas).sorted()
                .toList());
        java.util.Collections.reverse(surplus);
        for (int o : surplus) {
            if (!parallel && busy) {
                break;
            }
            Pod p = byOrdinal.get(o);
            if (!PodStates.isTerminating(p)) {
                Writes.delete(ctx.client(), p);
                pods.remove(p);
            }
            busy = true;
            if (!parallel) {
                break;
            }
        }
        // rolling update: highest outdated ordinal at or above the partition, when all others are ready
        boolean onDelete = s.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
        int partition = s.getSpec().getUpdateStrategy() == null || s.getSpec().getUpdateStrategy().getRollingUpdate() == null
                || s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() == null ? 0
                : s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
        if (!onDelete && !busy) {
            for (int i = replicas - 1; i >= partition; i--) {
                Pod p = byOrdinal.get(i);
                if (p != null && !revision.equals(label(p)) && !PodStates.isTerminating(p)) {
                    Writes.delete(ctx.client(), p);
                    pods.remove(p);
                    break;
                }
            }
        }
        writeStatus(s, revision, replicas);
    }

    private static String label(Pod p) {
        return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(REVISION_LABEL);
    }

    private static Optional<Integer> ordinal(StatefulSet s, Pod p) {
        String prefix = s.getMetadata().getName() + "-";
        String name = p.getMetadata().getName();
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(name.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void create(StatefulSet s, int ordinal, String revision) {
        String name = s.getMetadata().getName() + "-" + ordinal;
        Map<String, String> labels = Map.of(REVISION_LABEL, revision, "statefulset.kubernetes.io/pod-name", name,
                "apps.kubernetes.io/pod-index", Integer.toString(ordinal));
        Pod pod = Workloads.podFromTemplate(s, s.getSpec().getTemplate(), name, labels);
        pod.getSpec().setHostname(name);
        pod.getSpec().setSubdomain(s.getSpec().getServiceName());
        if (s.getSpec().getVolumeClaimTemplates() != null) {
            for (PersistentVolumeClaim template : s.getSpec().getVolumeClaimTemplates()) {
                String claim = template.getMetadata().getName() + "-" + name;
                ensureClaim(s, template, claim);
                List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(
                        pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes());
                volumes.removeIf(v -> v.getName().equals(template.getMetadata().getName()));
                volumes.add(new VolumeBuilder().withName(template.getMetadata().getName())
                        .withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().build());
                pod.getSpec().setVolumes(volumes);
            }
        }
        // recordPodEvent (stateful_pod_control.go): an event for the create either way, none for AlreadyExists
        String setName = s.getMetadata().getName();
        try {
            pods.put(Workloads.create(ctx.client(), pod));
            ctx.events().normal(s, PodControl.SUCCESSFUL_CREATE, "create Pod " + name + " in StatefulSet " + setName
                    + " successful");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return;
            }
            ctx.events().warning(s, PodControl.FAILED_CREATE, "create Pod " + name + " in StatefulSet " + setName
                    + " failed error: " + PodControl.message(e));
            throw e;
        }
    }

    private void ensureClaim(StatefulSet s, PersistentVolumeClaim template, String claim) {
        var claims = ctx.client().persistentVolumeClaims().inNamespace(s.getMetadata().getNamespace());
        if (claims.withName(claim).get() != null) {
            return;
        }
        PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder(Workloads.clone(template))
                .editMetadata().withName(claim).withNamespace(s.getMetadata().getNamespace())
                .withResourceVersion(null).withUid(null).endMetadata()
                .withNewStatus().withPhase("Bound").endStatus().build();
        claims.resource(pvc).create();
    }

    private void writeStatus(StatefulSet s, String revision, int replicas) {
        List<Pod> owned = pods.list(p -> Workloads.ownedBy(p, s) && !PodStates.isTerminating(p));
        int total = owned.size();
        int ready = (int) owned.stream().filter(PodStates::isReady).count();
        int updated = (int) owned.stream().filter(p -> revision.equals(label(p))).count();
        long generation = Workloads.generation(s);
        String currentRevision = updated == total && total == replicas ? revision
                : s.getStatus() == null || s.getStatus().getCurrentRevision() == null ? revision
                : s.getStatus().getCurrentRevision();
        int current = (int) owned.stream().filter(p -> currentRevision.equals(label(p))).count();
        StatefulSetStatus st = s.getStatus();
        if (st != null && Objects.equals(st.getReplicas(), total) && Objects.equals(st.getReadyReplicas(), ready)
                && Objects.equals(st.getUpdatedReplicas(), updated) && Objects.equals(st.getCurrentReplicas(), current)
                && Objects.equals(st.getUpdateRevision(), revision)
                && Objects.equals(st.getCurrentRevision(), currentRevision)
                && Objects.equals(st.getObservedGeneration(), generation)) {
            return;
        }
        Writes.updateStatus(ctx.client(), s, x -> {
            StatefulSetStatus n = new StatefulSetStatus();
            n.setReplicas(total);
            n.setReadyReplicas(ready);
            n.setAvailableReplicas(ready);
            n.setCurrentReplicas(current);
            n.setUpdatedReplicas(updated);
            n.setCurrentRevision(currentRevision);
            n.setUpdateRevision(revision);
            n.setObservedGeneration(generation);
            x.setStatus(n);
            return true;
        }).ifPresent(sets::put);
    }
}
