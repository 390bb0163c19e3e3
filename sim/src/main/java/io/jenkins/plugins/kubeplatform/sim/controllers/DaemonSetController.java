package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * DaemonSets: one pod per eligible node, pinned by node affinity on {@code metadata.name} and placed by the
 * scheduler. Pods get the tolerations the real controller adds (not-ready and unreachable NoExecute; disk, memory
 * and pid pressure and unschedulable NoSchedule), so cordoned nodes still run them. A node whose NoSchedule taint
 * the pod does not tolerate gets no new pod but keeps a running one; only an untolerated NoExecute taint removes
 * it. A template change replaces pods one node at a time once the others are Ready. Pods are created in slow-start
 * batches with {@code SuccessfulCreate} and {@code FailedCreate} events; after a refused create the DaemonSet is
 * synced again after the work queue's backoff.
 */
public final class DaemonSetController implements SimController {

    static final String HASH_LABEL = "controller-revision-hash";
    /** {@code BurstReplicas} of the real DaemonSet controller: creates per sync. */
    static final int BURST_REPLICAS = 250;

    private SimContext ctx;
    private Observed<DaemonSet> sets;
    private Observed<Node> nodes;
    private Observed<Pod> pods;
    private ReconcileQueue<DaemonSet> reconciles;
    private PodControl podControl;

    @Override
    public String name() {
        return "daemonset-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.podControl = new PodControl(ctx);
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> sets.get(ns, name), this::reconcile);
        this.sets = ctx.observe(ctx.client().apps().daemonSets().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(DaemonSet ds) {
                reconciles.add(ds);
            }

        });
        this.nodes = ctx.observe(ctx.client().nodes(), NodeChanges.ignoringImageReports(new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
                sets.list().forEach(reconciles::add);
            }

            @Override
            public void deleted(Node node) {
                sets.list().forEach(reconciles::add);
            }
        }));
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


    /** The tolerations the DaemonSet controller adds to every daemon pod. */
    static List<Toleration> daemonTolerations() {
        List<Toleration> t = new ArrayList<>();
        t.add(toleration("node.kubernetes.io/not-ready", "NoExecute"));
        t.add(toleration("node.kubernetes.io/unreachable", "NoExecute"));
        t.add(toleration("node.kubernetes.io/disk-pressure", "NoSchedule"));
        t.add(toleration("node.kubernetes.io/memory-pressure", "NoSchedule"));
        t.add(toleration("node.kubernetes.io/pid-pressure", "NoSchedule"));
        t.add(toleration("node.kubernetes.io/unschedulable", "NoSchedule"));
        return t;
    }

    private static Toleration toleration(String key, String effect) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    }

    private void reconcile(DaemonSet ds) {
        if (ds.getMetadata().getDeletionTimestamp() != null) {
            // The real controller does nothing for a DaemonSet being deleted (daemon_controller.go syncDaemonSet); the
            // garbage collector removes its dependents
            return;
        }
        String hash = Workloads.templateHash(ds.getSpec().getTemplate());
        Pod probe = Workloads.podFromTemplate(ds, ds.getSpec().getTemplate(), "probe", Map.of());
        addTolerations(probe);
        // getNodesToDaemonPods (daemon_controller.go): a pod that is both terminal and being deleted no longer counts
        // for its node; one that is only Terminating still does, so no new pod starts beside it
        List<Pod> all = pods.list(p -> Workloads.ownedBy(p, ds)
                && !(PodStates.isFinished(p) && PodStates.isTerminating(p)));
        int desired = 0;
        int scheduled = 0;
        int ready = 0;
        int updated = 0;
        int misscheduled = 0;
        boolean rolling = false;
        List<Pod> outdated = new ArrayList<>();
        List<String> needing = new ArrayList<>();
        for (Node node : nodes.list()) {
            String nodeName = node.getMetadata().getName();
            List<Pod> daemonPods = all.stream().filter(p -> nodeName.equals(target(p)))
                    .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())).toList();
            boolean fits = fits(probe, node);
            boolean shouldRun = fits && tolerates(probe, node, "NoSchedule") && tolerates(probe, node, "NoExecute");
            boolean shouldContinue = fits && tolerates(probe, node, "NoExecute");
            // updateDaemonSetStatus: counts by the node's oldest daemon pod, a Terminating one included
            if (shouldRun) {
                desired++;
                if (!daemonPods.isEmpty()) {
                    scheduled++;
                    ready += PodStates.isReady(daemonPods.get(0)) ? 1 : 0;
                    updated += hash.equals(label(daemonPods.get(0))) ? 1 : 0;
                }
            } else if (!daemonPods.isEmpty()) {
                misscheduled++;
            }
            // podsShouldBeOnNode
            if (shouldRun && daemonPods.isEmpty()) {
                needing.add(nodeName);
                rolling = true;
            } else if (shouldContinue && !daemonPods.isEmpty()) {
                List<Pod> running = new ArrayList<>();
                for (Pod p : daemonPods) {
                    if (PodStates.isTerminating(p)) {
                        rolling = true;
                    } else if ("Failed".equals(PodStates.phase(p))) {
                        // a failed daemon pod is deleted; its replacement comes once it is terminal and deleting
                        Writes.delete(ctx.client(), p);
                        rolling = true;
                    } else {
                        running.add(p);
                    }
                }
                if (running.isEmpty()) {
                    continue;
                }
                Pod p = running.get(0);
                rolling |= !PodStates.isReady(p);
                if (!hash.equals(label(p))) {
                    outdated.add(p);
                }
                for (Pod extra : running.subList(1, running.size())) {
                    Writes.delete(ctx.client(), extra);
                }
            } else if (!shouldContinue) {
                daemonPods.stream().filter(p -> !PodStates.isTerminating(p))
                        .forEach(p -> Writes.delete(ctx.client(), p));
            }
        }
        // syncNodes: the nodes' pods in slow-start batches; after a refused create the rest wait for the retry
        SlowStart.Outcome created = SlowStart.run(Math.min(needing.size(), BURST_REPLICAS),
                i -> create(ds, needing.get(i), hash));
        boolean onDelete = ds.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(ds.getSpec().getUpdateStrategy().getType());
        if (created.error().isEmpty() && !onDelete && !rolling && !outdated.isEmpty()) {
            Writes.delete(ctx.client(), outdated.get(0));
            pods.remove(outdated.get(0));
        }
        writeStatus(ds, desired, scheduled, ready, updated, misscheduled);
        if (created.error().isPresent()) {
            // syncDaemonSet returns manage's error after the status: the queue retries with backoff
            throw new SyncError(PodControl.message(created.error().get()));
        }
    }

    private void addTolerations(Pod pod) {
        List<Toleration> t = new ArrayList<>(pod.getSpec().getTolerations() == null ? List.of()
                : pod.getSpec().getTolerations());
        for (Toleration extra : daemonTolerations()) {
            if (!t.contains(extra)) {
                t.add(extra);
            }
        }
        pod.getSpec().setTolerations(t);
    }

    private static String label(Pod p) {
        return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(HASH_LABEL);
    }

    /** The node a daemon pod is for: where it runs, or where its affinity pins it. */
    private static String target(Pod p) {
        if (p.getSpec().getNodeName() != null) {
            return p.getSpec().getNodeName();
        }
        var a = p.getSpec().getAffinity();
        if (a == null || a.getNodeAffinity() == null
                || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        for (var term : a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()) {
            if (term.getMatchFields() != null) {
                for (var f : term.getMatchFields()) {
                    if ("metadata.name".equals(f.getKey()) && f.getValues() != null && f.getValues().size() == 1) {
                        return f.getValues().get(0);
                    }
                }
            }
        }
        return null;
    }

    private static boolean fits(Pod pod, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (pod.getSpec().getNodeSelector() != null) {
            for (var e : pod.getSpec().getNodeSelector().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        var a = pod.getSpec().getAffinity();
        if (a != null && a.getNodeAffinity() != null
                && a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            var terms = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
            return terms != null && terms.stream().anyMatch(t -> Scheduler.termMatches(t, node));
        }
        return true;
    }

    private static boolean tolerates(Pod pod, Node node, String effect) {
        if (node.getSpec().getTaints() == null) {
            return true;
        }
        for (Taint taint : node.getSpec().getTaints()) {
            if (effect.equals(taint.getEffect()) && !Tolerations.tolerated(pod, taint)) {
                return false;
            }
        }
        return true;
    }

    private void create(DaemonSet ds, String node, String hash) {
        Pod pod = Workloads.podWithGeneratedName(ds, ds.getSpec().getTemplate(), Map.of(HASH_LABEL, hash));
        addTolerations(pod);
        // Replaces any node affinity of the template, as the real controller does for the pinning term.
        io.fabric8.kubernetes.api.model.Affinity affinity = Optional.ofNullable(pod.getSpec().getAffinity())
                .orElseGet(io.fabric8.kubernetes.api.model.Affinity::new);
        affinity.setNodeAffinity(new NodeAffinityBuilder().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(new NodeSelectorTermBuilder().addNewMatchField().withKey("metadata.name")
                        .withOperator("In").withValues(node).endMatchField().build())
                .endRequiredDuringSchedulingIgnoredDuringExecution().build());
        pod.getSpec().setAffinity(affinity);
        pods.put(podControl.create(ds, pod));
    }

    private void writeStatus(DaemonSet ds, int desired, int scheduled, int ready, int updated, int misscheduled) {
        long generation = Workloads.generation(ds);
        DaemonSetStatus s = ds.getStatus();
        if (s != null && Objects.equals(s.getDesiredNumberScheduled(), desired)
                && Objects.equals(s.getCurrentNumberScheduled(), scheduled) && Objects.equals(s.getNumberReady(), ready)
                && Objects.equals(s.getUpdatedNumberScheduled(), updated)
                && Objects.equals(s.getNumberMisscheduled(), misscheduled)
                && Objects.equals(s.getObservedGeneration(), generation)) {
            return;
        }
        Writes.updateStatus(ctx.client(), ds, x -> {
            DaemonSetStatus st = new DaemonSetStatus();
            st.setDesiredNumberScheduled(desired);
            st.setCurrentNumberScheduled(scheduled);
            st.setNumberReady(ready);
            st.setNumberAvailable(ready);
            st.setNumberUnavailable(Math.max(0, desired - ready));
            st.setUpdatedNumberScheduled(updated);
            st.setNumberMisscheduled(misscheduled);
            st.setObservedGeneration(generation);
            x.setStatus(st);
            return true;
        }).ifPresent(sets::put);
    }
}
