package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.DisruptionBudgets;
import io.jenkins.plugins.kubeplatform.sim.model.Selectors;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Optional;
import java.util.List;
import java.util.Objects;

/**
 * Keeps PodDisruptionBudget status current (expected pods, current and desired healthy, disruptions allowed, the
 * DisruptionAllowed condition) from the selected pods, computed as {@link DisruptionBudgets#budget} does for evictions.
 */
public final class DisruptionController implements SimController {

    private SimContext ctx;
    private Observed<PodDisruptionBudget> budgets;
    private Observed<Pod> pods;
    private ReconcileQueue<PodDisruptionBudget> reconciles;

    @Override
    public String name() {
        return "disruption-controller";
    }

    private Optional<Integer> scaleOf(String namespace, OwnerReference owner) {
        Integer replicas = switch (owner.getKind()) {
            case "ReplicaSet" -> Optional.ofNullable(ctx.client().apps().replicaSets().inNamespace(namespace)
                    .withName(owner.getName()).get()).map(r -> r.getSpec().getReplicas()).orElse(null);
            case "StatefulSet" -> Optional.ofNullable(ctx.client().apps().statefulSets().inNamespace(namespace)
                    .withName(owner.getName()).get()).map(r -> r.getSpec().getReplicas()).orElse(null);
            case "ReplicationController" -> Optional.ofNullable(ctx.client().replicationControllers()
                    .inNamespace(namespace).withName(owner.getName()).get()).map(r -> r.getSpec().getReplicas())
                    .orElse(null);
            default -> null;
        };
        return Optional.ofNullable(replicas);
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.reconciles = new ReconcileQueue<>(ctx, (ns, name) -> budgets.get(ns, name), this::reconcile);
        this.budgets = ctx.observe(ctx.client().policy().v1().podDisruptionBudget().inAnyNamespace(),
                new ChangeHandler<>() {
                    @Override
                    public void changed(PodDisruptionBudget pdb) {
                        reconciles.add(pdb);
                    }
                });
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                affected(pod);
            }

            @Override
            public void deleted(Pod pod) {
                affected(pod);
            }
        });
    }

    private void affected(Pod pod) {
        for (PodDisruptionBudget pdb : budgets.inNamespace(pod.getMetadata().getNamespace())) {
            if (Selectors.matches(pdb.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                reconciles.add(pdb);
            }
        }
    }


    private void reconcile(PodDisruptionBudget pdb) {
        String ns = pdb.getMetadata().getNamespace();
        DisruptionBudgets.Budget b = DisruptionBudgets.budget(pdb, pods.inNamespace(ns), owner -> scaleOf(ns, owner));
        long generation = Workloads.generation(pdb);
        PodDisruptionBudgetStatus s = pdb.getStatus();
        if (s != null && Objects.equals(s.getExpectedPods(), b.expectedPods())
                && Objects.equals(s.getCurrentHealthy(), b.currentHealthy())
                && Objects.equals(s.getDesiredHealthy(), b.desiredHealthy())
                && Objects.equals(s.getDisruptionsAllowed(), b.disruptionsAllowed())
                && Objects.equals(s.getObservedGeneration(), generation)) {
            return;
        }
        String now = ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        boolean allowed = b.disruptionsAllowed() > 0;
        Condition condition = new ConditionBuilder().withType("DisruptionAllowed").withStatus(allowed ? "True" : "False")
                .withReason(allowed ? "SufficientPods" : "InsufficientPods").withMessage("")
                .withObservedGeneration(generation).withLastTransitionTime(now).build();
        // the budget was computed from this copy's spec: written at its version only, as updatePdbStatus does not retry
        Writes.updateStatusOnce(ctx.client(), pdb, x -> {
            PodDisruptionBudgetStatus st = new PodDisruptionBudgetStatus();
            st.setExpectedPods(b.expectedPods());
            st.setCurrentHealthy(b.currentHealthy());
            st.setDesiredHealthy(b.desiredHealthy());
            st.setDisruptionsAllowed(b.disruptionsAllowed());
            st.setObservedGeneration(generation);
            st.setConditions(List.of(condition));
            x.setStatus(st);
            return true;
        }).ifPresent(budgets::put);
    }
}
