package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.sim.api.SemanticEquality;
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
 * down). Recreate scales old ReplicaSets to zero, waits until none of their pods runs (gone, or stopped by their kubelet:
 * a Terminating pod still counts), then scales the new one up.
 * Status carries replicas, updated, ready, available and unavailable counts, observedGeneration and the Available
 * and Progressing conditions, and the ReplicaFailure condition of its ReplicaSets (the new one's first);
 * {@code deployment.kubernetes.io/revision} is kept on both objects.
 */
public final class DeploymentController implements SimController {

    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String PAUSED = "DeploymentPaused";
    private static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    /**
     * The delay before a pass that met a newer object runs again (simulated time): the first retry of the real
     * controller's rate-limited queue (client-go workqueue DefaultTypedControllerRateLimiter: per-item exponential
     * backoff from 5 ms; a conflict is met once, not over and over, so the backoff does not grow here).
     */
    private static final java.time.Duration REQUEUE = java.time.Duration.ofMillis(5);

    private SimContext ctx;
    private Observed<Deployment> deployments;
    private Observed<ReplicaSet> sets;
    private Observed<Pod> pods;
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
        // a Recreate deployment waits for its old pods: the real controller's deletePod handler requeues it
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                // pod changes reach the deployment through its ReplicaSet's status
            }

            @Override
            public void deleted(Pod pod) {
                podOwner(pod);
            }
        });
    }

    private void podOwner(Pod pod) {
        Workloads.controllerUid(pod).ifPresent(uid -> sets.list(r -> uid.equals(r.getMetadata().getUid()))
                .forEach(this::owner));
    }

    /**
     * {@code oldPodsRunning} (pkg/controller/deployment/recreate.go): an old ReplicaSet still reports replicas, or
     * one of its pods is not in a terminal phase (a Terminating pod whose containers still run counts).
     */
    private boolean oldPodsRunning(List<ReplicaSet> old) {
        for (ReplicaSet r : old) {
            if (r.getStatus() != null && r.getStatus().getReplicas() != null && r.getStatus().getReplicas() > 0) {
                return true;
            }
            if (!pods.list(p -> Workloads.ownedBy(p, r) && !PodStates.isFinished(p)).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void owner(ReplicaSet rs) {
        Workloads.controllerUid(rs).ifPresent(uid -> deployments.list(d -> uid.equals(d.getMetadata().getUid()))
                .forEach(reconciles::add));
    }


    /**
     * One sync of {@code d}. A write that meets a newer object than the one its decision was made on ends the pass, as
     * the real controller returns the error and is requeued (with a short delay): the next pass decides on the newer
     * copy.
     */
    private void reconcile(Deployment d) {
        if (d.getMetadata().getDeletionTimestamp() != null) {
            // The real controller only syncs the status of a Deployment being deleted (deployment_controller.go
            // syncDeployment); the garbage collector removes its dependents
            return;
        }
        try {
            sync(d);
        } catch (Superseded e) {
            ctx.after(REQUEUE, () -> reconciles.add(d));
        }
    }

    private void sync(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        d = checkPausedConditions(d);
        Deployment deployment = d;
        List<ReplicaSet> owned = byCreation(sets.list(r -> Workloads.ownedBy(r, deployment)));
        Optional<ReplicaSet> found = findNew(d, owned);
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (found.isEmpty() && !paused && !owned.isEmpty()) {
            Optional<List<ReplicaSet>> fresh = freshSets(d);
            if (fresh.isEmpty()) {
                return; // the deployment changed meanwhile: its watch event brings the next pass
            }
            owned = byCreation(fresh.get());
            found = findNew(d, owned);
        }
        Optional<ReplicaSet> current = found;
        List<ReplicaSet> old = new ArrayList<>(owned.stream().filter(r -> current.map(c -> c != r).orElse(true))
                .toList());
        int maxOld = old.stream().mapToInt(DeploymentController::revision).max().orElse(0);
        if (paused) {
            syncPaused(d, current.map(r -> syncRevision(r, maxOld)), old, replicas);
            return;
        }
        boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());

        ReplicaSet newRs;
        if (current.isEmpty()) {
            int initial = recreate || !old.isEmpty() ? 0 : replicas;
            if (!recreate && !old.isEmpty()) {
                initial = Math.max(0, Math.min(replicas, replicas + maxSurge(d, replicas) - total(old)));
            }
            Optional<ReplicaSet> created = create(d, initial, maxOld + 1);
            if (created.isEmpty()) {
                return; // a name collision: the collision count went up, the next pass uses another name
            }
            newRs = created.get();
        } else {
            // a rollback to an older template, or an adopted ReplicaSet: it becomes the newest revision
            newRs = syncRevision(current.get(), maxOld);
        }

        if (recreate) {
            for (ReplicaSet r : old) {
                scale(r, 0);
            }
            if (!oldPodsRunning(old)) {
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
        writeStatus(d, Optional.of(newRs), old, replicas, false);
    }

    /** Owned ReplicaSets oldest first (ties by name), as {@code controller.ReplicaSetsByCreationTimestamp}. */
    private static List<ReplicaSet> byCreation(List<ReplicaSet> owned) {
        List<ReplicaSet> sorted = new ArrayList<>(owned);
        sorted.sort(Comparator.<ReplicaSet, String>comparing(r -> r.getMetadata().getCreationTimestamp() == null ? ""
                : r.getMetadata().getCreationTimestamp()).thenComparing(r -> r.getMetadata().getName()));
        return sorted;
    }

    /**
     * The deployment's new ReplicaSet: the oldest owned one whose pod template equals the deployment's ignoring the
     * {@code pod-template-hash} label ({@code FindNewReplicaSet} / {@code EqualIgnoreHash}), whatever its name.
     */
    private Optional<ReplicaSet> findNew(Deployment d, List<ReplicaSet> owned) {
        JsonNode wanted = withoutHash(d.getSpec().getTemplate());
        return owned.stream().filter(r -> wanted.equals(withoutHash(r.getSpec().getTemplate()))).findFirst();
    }

    private JsonNode withoutHash(PodTemplateSpec template) {
        JsonNode json = ctx.client().getKubernetesSerialization().convertValue(template, JsonNode.class);
        if (json.path("metadata").path("labels") instanceof ObjectNode labels) {
            labels.remove(HASH_LABEL);
        }
        JsonNode normalized = SemanticEquality.normalized(json);
        return normalized == null ? JsonNodeFactory.instance.objectNode() : normalized;
    }

    /**
     * Before creating a ReplicaSet next to existing ones, the live state: the two watches (deployments, replica
     * sets) may deliver out of order, and a ReplicaSet whose template was just edited to the deployment's must be
     * found, not duplicated (a deployment without any ReplicaSet yet skips this: this controller creates them and
     * caches what it creates). Empty when the cached deployment is no longer the latest.
     */
    private Optional<List<ReplicaSet>> freshSets(Deployment d) {
        String ns = d.getMetadata().getNamespace();
        Deployment live = ctx.client().apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get();
        if (live == null || !Objects.equals(live.getMetadata().getResourceVersion(),
                d.getMetadata().getResourceVersion())) {
            return Optional.empty();
        }
        Map<String, String> selector = d.getSpec().getSelector() == null
                || d.getSpec().getSelector().getMatchLabels() == null ? Map.of()
                : d.getSpec().getSelector().getMatchLabels();
        List<ReplicaSet> owned = ctx.client().apps().replicaSets().inNamespace(ns).withLabels(selector).list()
                .getItems().stream().filter(r -> Workloads.ownedBy(r, d)).toList();
        owned.forEach(sets::put);
        return Optional.of(owned);
    }

    /** {@code SetNewReplicaSetAnnotations}: the new ReplicaSet's revision becomes max old revision + 1 if lower. */
    private ReplicaSet syncRevision(ReplicaSet rs, int maxOld) {
        return revision(rs) < maxOld + 1 ? setRevision(rs, maxOld + 1) : rs;
    }

    /**
     * {@code checkPausedConditions}: pausing sets the Progressing condition to Unknown/DeploymentPaused, resuming to
     * Unknown/DeploymentResumed, each written at once as the real controller does (a timed-out condition is kept).
     */
    private Deployment checkPausedConditions(Deployment d) {
        String now = ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        if (pausedConditionChange(d, now).isEmpty()) {
            return d;
        }
        // decided again on the object the write goes to: after a conflict that is a newer one (a pause already
        // undone gets no DeploymentPaused), as the real controller decides on its informer's latest copy
        return Writes.updateStatus(ctx.client(), d, x -> {
            Optional<DeploymentCondition> c = pausedConditionChange(x, now);
            if (c.isEmpty()) {
                return false;
            }
            DeploymentStatus st = x.getStatus() == null ? new DeploymentStatus() : x.getStatus();
            List<DeploymentCondition> conditions = new ArrayList<>(st.getConditions() == null ? List.of()
                    : st.getConditions());
            conditions.removeIf(y -> "Progressing".equals(y.getType()));
            conditions.add(c.get());
            st.setConditions(conditions);
            x.setStatus(st);
            return true;
        }).map(x -> {
            deployments.put(x);
            return x;
        }).orElse(d);
    }

    /** The Progressing condition {@code d} needs because it was paused or resumed, if it needs one. */
    private static Optional<DeploymentCondition> pausedConditionChange(Deployment d, String now) {
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        Optional<DeploymentCondition> cond = d.getStatus() == null || d.getStatus().getConditions() == null
                ? Optional.empty() : d.getStatus().getConditions().stream()
                        .filter(c -> "Progressing".equals(c.getType())).findFirst();
        if (cond.isPresent() && "ProgressDeadlineExceeded".equals(cond.get().getReason())) {
            return Optional.empty();
        }
        boolean pausedCondition = cond.isPresent() && PAUSED.equals(cond.get().getReason());
        if (paused == pausedCondition) {
            return Optional.empty();
        }
        return Optional.of(new DeploymentConditionBuilder().withType("Progressing").withStatus("Unknown")
                .withReason(paused ? PAUSED : "DeploymentResumed")
                .withMessage(paused ? "Deployment is paused" : "Deployment is resumed")
                .withLastUpdateTime(now).withLastTransitionTime(now).build());
    }

    /**
     * A paused deployment is only scaled ({@code sync} → {@code scale}), never rolled: no new ReplicaSet, and the one
     * active ReplicaSet (or the newest when none is active) is scaled to {@code spec.replicas}; with the new
     * ReplicaSet saturated, old ones go to zero. Proportional scaling of several active ReplicaSets is not simulated.
     */
    private void syncPaused(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old, int replicas) {
        List<ReplicaSet> newestFirst = new ArrayList<>(old);
        java.util.Collections.reverse(newestFirst);
        List<ReplicaSet> candidates = new ArrayList<>(newestFirst);
        newRs.ifPresent(candidates::add);
        List<ReplicaSet> active = candidates.stream().filter(r -> spec(r) > 0).toList();
        Optional<ReplicaSet> target = active.size() == 1 ? Optional.of(active.get(0))
                : active.isEmpty() ? newRs.or(() -> newestFirst.stream().findFirst()) : Optional.empty();
        Optional<ReplicaSet> scaledNew = newRs;
        if (target.isPresent()) {
            ReplicaSet scaled = scale(target.get(), replicas);
            if (newRs.isPresent() && newRs.get().getMetadata().getName().equals(scaled.getMetadata().getName())) {
                scaledNew = Optional.of(scaled);
            } else {
                old.replaceAll(r -> r.getMetadata().getName().equals(scaled.getMetadata().getName()) ? scaled : r);
            }
        } else if (newRs.isPresent() && spec(newRs.get()) == replicas && available(List.of(newRs.get())) >= replicas) {
            old.replaceAll(r -> spec(r) > 0 ? scale(r, 0) : r);
        }
        writeStatus(d, scaledNew, old, replicas, true);
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

    /**
     * Creates the new ReplicaSet {@code <deployment>-<hash>}. When that name is taken by a ReplicaSet with another
     * template (one whose template was edited), the deployment's {@code status.collisionCount} goes up and the next
     * pass hashes the template with it, as the real controller does; empty then.
     */
    private Optional<ReplicaSet> create(Deployment d, int replicas, int revision) {
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String hash = collisions == null || collisions == 0 ? Workloads.templateHash(d.getSpec().getTemplate())
                : Workloads.templateHash(d.getSpec().getTemplate(), collisions);
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
        try {
            ReplicaSet created = ctx.client().apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
                    .resource(rs).create();
            sets.put(created);
            return Optional.of(created);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // version-checked, not retried: a deployment changed meanwhile is judged again on its own event
            Deployment bumped = ctx.client().getKubernetesSerialization().clone(d);
            DeploymentStatus st = bumped.getStatus() == null ? new DeploymentStatus() : bumped.getStatus();
            st.setCollisionCount((collisions == null ? 0 : collisions) + 1);
            bumped.setStatus(st);
            try {
                deployments.put(ctx.client().resource(bumped).updateStatus());
            } catch (KubernetesClientException conflict) {
                if (conflict.getCode() != 409 && conflict.getCode() != 404) {
                    throw conflict;
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A ReplicaSet that becomes the new one again gets the new revision; its previous revision is kept in
     * {@code deployment.kubernetes.io/revision-history} (comma-separated), as {@code SetNewReplicaSetAnnotations} does.
     */
    private ReplicaSet setRevision(ReplicaSet rs, int revision) {
        return Writes.updateOnce(ctx.client(), rs, r -> {
            Map<String, String> annotations = new LinkedHashMap<>(r.getMetadata().getAnnotations() == null ? Map.of()
                    : r.getMetadata().getAnnotations());
            String previous = annotations.put(REVISION, Integer.toString(revision));
            if (previous != null && !previous.isEmpty()) {
                String history = annotations.get(REVISION_HISTORY);
                annotations.put(REVISION_HISTORY, history == null || history.isEmpty() ? previous
                        : history + "," + previous);
            }
            r.getMetadata().setAnnotations(annotations);
            return true;
        }).map(r -> {
            sets.put(r);
            return r;
        }).orElseThrow(Superseded::new);
    }

    private ReplicaSet scale(ReplicaSet rs, int replicas) {
        if (spec(rs) == replicas) {
            return rs;
        }
        // the target was decided on this copy's replicas and its siblings' availability: written at its version only
        return Writes.updateOnce(ctx.client(), rs, r -> {
            r.getSpec().setReplicas(replicas);
            return true;
        }).map(r -> {
            sets.put(r);
            return r;
        }).orElseThrow(Superseded::new);
    }

    /**
     * Writes replicas, updated, ready, available and unavailable counts, observedGeneration, the Available condition
     * and (unless {@code paused}, which keeps the condition {@link #checkPausedConditions} wrote) Progressing.
     */
    private void writeStatus(Deployment d, Optional<ReplicaSet> newRs, List<ReplicaSet> old, int replicas,
            boolean paused) {
        List<ReplicaSet> all = new ArrayList<>(old);
        newRs.ifPresent(all::add);
        int total = statusReplicas(all);
        int updated = newRs.map(r -> statusReplicas(List.of(r))).orElse(0);
        int ready = ready(all);
        int available = available(all);
        int unavailable = Math.max(0, replicas - available);
        int minAvailable = replicas - maxUnavailable(d, replicas);
        boolean complete = updated == replicas && total == replicas && available == replicas
                && old.stream().allMatch(r -> spec(r) == 0);
        String revision = newRs.map(r -> r.getMetadata().getAnnotations() == null ? null
                : r.getMetadata().getAnnotations().get(REVISION)).orElse(null);
        long generation = Workloads.generation(d);
        DeploymentStatus s = d.getStatus();
        String now = ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        DeploymentCondition availableCond = new DeploymentConditionBuilder().withType("Available")
                .withStatus(available >= minAvailable ? "True" : "False")
                .withReason(available >= minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .withMessage(available >= minAvailable ? "Deployment has minimum availability."
                        : "Deployment does not have minimum availability.")
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
        DeploymentCondition progressing = paused || newRs.isEmpty() ? null : new DeploymentConditionBuilder()
                .withType("Progressing").withStatus("True")
                .withReason(complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
                .withMessage(complete ? "ReplicaSet \"" + newRs.get().getMetadata().getName()
                        + "\" has successfully progressed."
                        : "ReplicaSet \"" + newRs.get().getMetadata().getName() + "\" is progressing.")
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
        Optional<DeploymentCondition> replicaFailure = replicaFailure(newRs, all);
        boolean same = s != null && Objects.equals(s.getReplicas(), total) && Objects.equals(s.getUpdatedReplicas(), updated)
                && Objects.equals(s.getReadyReplicas(), ready) && Objects.equals(s.getAvailableReplicas(), available)
                && Objects.equals(s.getUnavailableReplicas(), unavailable)
                && Objects.equals(s.getObservedGeneration(), generation)
                && sameCondition(s, availableCond) && (progressing == null || sameCondition(s, progressing))
                && sameReplicaFailure(s, replicaFailure)
                && (revision == null || Objects.equals(revision, d.getMetadata().getAnnotations() == null ? null
                        : d.getMetadata().getAnnotations().get(REVISION)));
        if (same) {
            return;
        }
        // The revision annotation goes with the status, through deployments/status, as the deployment controller
        // writes it: a status write keeps a deployment's annotations (not its labels) and, unlike a write of the
        // deployment itself, does not bump its generation. Written at the version decided on only (syncRolloutStatus
        // does not retry): a newer deployment brings its own pass.
        Writes.updateStatusOnce(ctx.client(), d, x -> {
            DeploymentStatus st = new DeploymentStatus();
            st.setReplicas(total);
            st.setUpdatedReplicas(updated);
            st.setReadyReplicas(ready);
            st.setAvailableReplicas(available);
            st.setUnavailableReplicas(unavailable);
            st.setObservedGeneration(generation);
            st.setCollisionCount(x.getStatus() == null ? null : x.getStatus().getCollisionCount());
            List<DeploymentCondition> conditions = new ArrayList<>();
            conditions.add(keepTransition(x.getStatus(), availableCond));
            if (progressing != null) {
                conditions.add(keepTransition(x.getStatus(), progressing));
            } else if (x.getStatus() != null && x.getStatus().getConditions() != null) {
                x.getStatus().getConditions().stream().filter(c -> "Progressing".equals(c.getType()))
                        .forEach(conditions::add);
            }
            replicaFailure.map(c -> keepUnchanged(x.getStatus(), c)).ifPresent(conditions::add);
            st.setConditions(conditions);
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

    /** A write met a newer object than the one the pass decided on. */
    private static final class Superseded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Superseded() {
            super(null, null, false, false);
        }
    }

    /**
     * {@code getReplicaFailures} (progress.go): the new ReplicaSet's ReplicaFailure condition, else the first one of
     * any ReplicaSet, as a deployment condition ({@code ReplicaSetToDeploymentCondition}: both times are the
     * ReplicaSet condition's lastTransitionTime); none removes the deployment's.
     */
    private Optional<DeploymentCondition> replicaFailure(Optional<ReplicaSet> newRs, List<ReplicaSet> all) {
        List<ReplicaSet> order = new ArrayList<>();
        newRs.ifPresent(order::add);
        order.addAll(all);
        return order.stream().filter(r -> r.getStatus() != null && r.getStatus().getConditions() != null)
                .flatMap(r -> r.getStatus().getConditions().stream())
                .filter(c -> ReplicaSetController.REPLICA_FAILURE.equals(c.getType())).findFirst()
                .map(c -> new DeploymentConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
                        .withReason(c.getReason()).withMessage(c.getMessage())
                        .withLastTransitionTime(c.getLastTransitionTime()).withLastUpdateTime(c.getLastTransitionTime())
                        .build());
    }

    /** The deployment has the ReplicaFailure condition wanted (same status and reason), or none when none is. */
    private static boolean sameReplicaFailure(DeploymentStatus s, Optional<DeploymentCondition> wanted) {
        boolean has = s.getConditions() != null && s.getConditions().stream()
                .anyMatch(c -> ReplicaSetController.REPLICA_FAILURE.equals(c.getType()));
        return wanted.map(c -> sameCondition(s, c)).orElse(!has);
    }

    /**
     * {@code SetDeploymentCondition}: a condition of the same status and reason stays as it is; one of the same
     * status keeps its lastTransitionTime.
     */
    private static DeploymentCondition keepUnchanged(DeploymentStatus old, DeploymentCondition c) {
        if (old != null && old.getConditions() != null) {
            for (DeploymentCondition x : old.getConditions()) {
                if (c.getType().equals(x.getType()) && c.getStatus().equals(x.getStatus())
                        && Objects.equals(c.getReason(), x.getReason())) {
                    return x;
                }
            }
        }
        return keepTransition(old, c);
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
