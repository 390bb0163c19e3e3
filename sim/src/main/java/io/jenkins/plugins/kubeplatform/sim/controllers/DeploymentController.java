package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deployments → ReplicaSets named {@code <deployment>-<pod-template-hash>}. RollingUpdate follows the deployment
 * controller's arithmetic: the new ReplicaSet grows while the total stays within replicas + maxSurge (default 25%,
 * rounded up), old ones shrink while available pods stay at least replicas − maxUnavailable (default 25%, rounded
 * down). Recreate scales old ReplicaSets to zero, waits until their pods are gone, then scales the new one up.
 * Status carries replicas, updated, ready, available and unavailable counts, observedGeneration and the Available
 * and Progressing conditions; {@code deployment.kubernetes.io/revision} is kept on both objects.
 */
public final class DeploymentController implements SimController {

    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";

    private SimContext ctx;
    private Observed<Deployment> deployments;
    private Observed<ReplicaSet> sets;
    private ReconcileQueue<Deployment> reconciles;

    @Override
    public String name() {
        return "deployment-controller";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> deployments.get(ns, name), this::reconcile);
        this.deployments = ctx.observe(ctx.client().apps().deployments().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Deployment d) {
                reconciles.add(d);
            }

            @Override
            public void deleted(Deployment d) {
                for (ReplicaSet rs : sets.list(r -> Workloads.ownedBy(r, d))) {
                    Writes.delete(ctx.client(), rs);
                }
            }
        });
        this.sets = ctx.observe(ctx.client().apps().replicaSets().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(ReplicaSet rs) {
                owner(rs);
            }

            @Override
            public void deleted(ReplicaSet rs) {
                owner(rs);
            }
        });
    }

    private void owner(ReplicaSet rs) {
        Workloads.controllerUid(rs).ifPresent(uid -> deployments.list(d -> uid.equals(d.getMetadata().getUid()))
                .forEach(reconciles::add));
    }


    private void reconcile(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        String hash = Workloads.templateHash(d.getSpec().getTemplate());
        List<ReplicaSet> owned = sets.list(r -> Workloads.ownedBy(r, d));
        Optional<ReplicaSet> current = owned.stream().filter(r -> hash.equals(label(r))).findFirst();
        List<ReplicaSet> old = new ArrayList<>(owned.stream().filter(r -> !hash.equals(label(r))).toList());
        old.sort(Comparator.comparing(r -> r.getMetadata().getCreationTimestamp() == null ? ""
                : r.getMetadata().getCreationTimestamp()));
        int revision = owned.stream().mapToInt(DeploymentController::revision).max().orElse(0);
        boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());

        ReplicaSet newRs;
        if (current.isEmpty()) {
            int initial = recreate || !old.isEmpty() ? 0 : replicas;
            if (!recreate && !old.isEmpty()) {
                initial = Math.max(0, Math.min(replicas, replicas + maxSurge(d, replicas) - total(old)));
            }
            newRs = create(d, hash, initial, revision + 1);
        } else {
            newRs = current.get();
            if (revision(newRs) < revision && !old.isEmpty()) {
                // rollback to an older template: it becomes the newest revision again
                newRs = setRevision(newRs, revision + 1);
            }
        }

        if (recreate) {
            for (ReplicaSet r : old) {
                scale(r, 0);
            }
            boolean oldGone = old.stream().allMatch(r -> r.getStatus() == null || r.getStatus().getReplicas() == null
                    || r.getStatus().getReplicas() == 0);
            if (oldGone) {
                newRs = scale(newRs, replicas);
            }
        } else {
            int maxSurge = maxSurge(d, replicas);
            int maxUnavailable = maxUnavailable(d, replicas);
            if (maxSurge == 0 && maxUnavailable == 0) {
                maxUnavailable = 1;
            }
            List<ReplicaSet> all = new ArrayList<>(old);
            all.add(newRs);
            int allowedTotal = replicas + maxSurge;
            int newSpec = spec(newRs);
            if (newSpec > replicas) {
                newRs = scale(newRs, replicas);
            } else if (newSpec < replicas) {
                int room = allowedTotal - total(all);
                if (room > 0) {
                    newRs = scale(newRs, Math.min(replicas, newSpec + room));
                }
            }
            int minAvailable = replicas - maxUnavailable;
            int available = available(old) + available(List.of(newRs));
            int canRemove = available - minAvailable;
            // first drop old replicas that are not available anyway
            for (int i = 0; i < old.size(); i++) {
                ReplicaSet r = old.get(i);
                int unhealthy = spec(r) - available(List.of(r));
                if (unhealthy > 0 && spec(r) > 0) {
                    old.set(i, scale(r, spec(r) - unhealthy));
                }
            }
            for (int i = 0; i < old.size() && canRemove > 0; i++) {
                ReplicaSet r = old.get(i);
                int cut = Math.min(spec(r), canRemove);
                if (cut > 0) {
                    old.set(i, scale(r, spec(r) - cut));
                    canRemove -= cut;
                }
            }
        }
        writeStatus(d, newRs, old, replicas);
    }

    private static String label(ReplicaSet r) {
        return r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(HASH_LABEL);
    }

    private static int revision(ReplicaSet r) {
        Map<String, String> a = r.getMetadata().getAnnotations();
        try {
            return a == null || a.get(REVISION) == null ? 0 : Integer.parseInt(a.get(REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int spec(ReplicaSet r) {
        return r.getSpec().getReplicas() == null ? 1 : r.getSpec().getReplicas();
    }

    private static int total(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(DeploymentController::spec).sum();
    }

    /**
     * Available pods, never more than a ReplicaSet's current spec: just after a scale-down its status still counts
     * the pods being removed, and trusting it would let the next step remove too many.
     */
    private static int available(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(r -> r.getStatus() == null || r.getStatus().getAvailableReplicas() == null ? 0
                : Math.min(spec(r), r.getStatus().getAvailableReplicas())).sum();
    }

    private static int statusReplicas(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(r -> r.getStatus() == null || r.getStatus().getReplicas() == null ? 0
                : r.getStatus().getReplicas()).sum();
    }

    private static int ready(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(r -> r.getStatus() == null || r.getStatus().getReadyReplicas() == null ? 0
                : r.getStatus().getReadyReplicas()).sum();
    }

    private static int maxSurge(Deployment d, int replicas) {
        var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        return Workloads.scaled(ru == null ? null : ru.getMaxSurge(), replicas, true,
                (int) Math.ceil(replicas * 0.25));
    }

    private static int maxUnavailable(Deployment d, int replicas) {
        var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        return Workloads.scaled(ru == null ? null : ru.getMaxUnavailable(), replicas, false,
                (int) Math.floor(replicas * 0.25));
    }

    private ReplicaSet create(Deployment d, String hash, int replicas, int revision) {
        PodTemplateSpec template = Workloads.clone(d.getSpec().getTemplate());
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        labels.put(HASH_LABEL, hash);
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMetaBuilder().build());
        }
        template.getMetadata().setLabels(labels);
        LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector()).addToMatchLabels(HASH_LABEL, hash)
                .build();
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace()).withLabels(labels)
                .addToAnnotations(REVISION, Integer.toString(revision))
                .withOwnerReferences(Workloads.controllerRef(d)).endMetadata()
                .withNewSpec().withReplicas(replicas).withSelector(selector).withTemplate(template)
                .withMinReadySeconds(d.getSpec().getMinReadySeconds()).endSpec()
                .build();
        ReplicaSet created = ctx.client().apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs)
                .create();
        sets.put(created);
        return created;
    }

    private ReplicaSet setRevision(ReplicaSet rs, int revision) {
        return Writes.update(ctx.client(), rs, r -> {
            r.getMetadata().getAnnotations().put(REVISION, Integer.toString(revision));
            return true;
        }).map(r -> {
            sets.put(r);
            return r;
        }).orElse(rs);
    }

    private ReplicaSet scale(ReplicaSet rs, int replicas) {
        if (spec(rs) == replicas) {
            return rs;
        }
        return Writes.update(ctx.client(), rs, r -> {
            if (Objects.equals(r.getSpec().getReplicas(), replicas)) {
                return false;
            }
            r.getSpec().setReplicas(replicas);
            return true;
        }).map(r -> {
            sets.put(r);
            return r;
        }).orElse(rs);
    }

    private void writeStatus(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int replicas) {
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(newRs);
        int total = statusReplicas(all);
        int updated = statusReplicas(List.of(newRs));
        int ready = ready(all);
        int available = available(all);
        int unavailable = Math.max(0, replicas - available);
        int minAvailable = replicas - maxUnavailable(d, replicas);
        boolean complete = updated == replicas && total == replicas && available == replicas
                && old.stream().allMatch(r -> spec(r) == 0);
        String revision = newRs.getMetadata().getAnnotations() == null ? null
                : newRs.getMetadata().getAnnotations().get(REVISION);
        long generation = Workloads.generation(d);
        DeploymentStatus s = d.getStatus();
        String now = ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        DeploymentCondition availableCond = new DeploymentConditionBuilder().withType("Available")
                .withStatus(available >= minAvailable ? "True" : "False")
                .withReason(available >= minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .withMessage(available >= minAvailable ? "Deployment has minimum availability."
                        : "Deployment does not have minimum availability.")
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
        DeploymentCondition progressing = new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                .withReason(complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
                .withMessage(complete ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\" has successfully progressed."
                        : "ReplicaSet \"" + newRs.getMetadata().getName() + "\" is progressing.")
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
        boolean same = s != null && Objects.equals(s.getReplicas(), total) && Objects.equals(s.getUpdatedReplicas(), updated)
                && Objects.equals(s.getReadyReplicas(), ready) && Objects.equals(s.getAvailableReplicas(), available)
                && Objects.equals(s.getUnavailableReplicas(), unavailable)
                && Objects.equals(s.getObservedGeneration(), generation)
                && sameCondition(s, availableCond) && sameCondition(s, progressing)
                && Objects.equals(revision, d.getMetadata().getAnnotations() == null ? null
                        : d.getMetadata().getAnnotations().get(REVISION));
        if (same) {
            return;
        }
        Writes.update(ctx.client(), d, x -> {
            DeploymentStatus st = new DeploymentStatus();
            st.setReplicas(total);
            st.setUpdatedReplicas(updated);
            st.setReadyReplicas(ready);
            st.setAvailableReplicas(available);
            st.setUnavailableReplicas(unavailable);
            st.setObservedGeneration(generation);
            st.setConditions(List.of(keepTransition(x.getStatus(), availableCond),
                    keepTransition(x.getStatus(), progressing)));
            x.setStatus(st);
            if (revision != null) {
                Map<String, String> ann = new LinkedHashMap<>(x.getMetadata().getAnnotations() == null ? Map.of()
                        : x.getMetadata().getAnnotations());
                ann.put(REVISION, revision);
                x.getMetadata().setAnnotations(ann);
            }
            return true;
        }).ifPresent(deployments::put);
    }

    private static boolean sameCondition(DeploymentStatus s, DeploymentCondition c) {
        if (s.getConditions() == null) {
            return false;
        }
        return s.getConditions().stream().anyMatch(x -> c.getType().equals(x.getType())
                && c.getStatus().equals(x.getStatus()) && Objects.equals(c.getReason(), x.getReason()));
    }

    private static DeploymentCondition keepTransition(DeploymentStatus old, DeploymentCondition c) {
        if (old != null && old.getConditions() != null) {
            for (DeploymentCondition x : old.getConditions()) {
                if (c.getType().equals(x.getType()) && c.getStatus().equals(x.getStatus())) {
                    c.setLastTransitionTime(x.getLastTransitionTime());
                }
            }
        }
        return c;
    }
}
