package io.jenkins.plugins.kubeplatform.sim.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the disruption controller derives for a PodDisruptionBudget, shared by the controller that keeps its status
 * and by the eviction subresource that decides with it.
 */
public final class DisruptionBudgets {

    /** What the disruption controller derives for one budget. */
    public record Budget(int expectedPods, int currentHealthy, int desiredHealthy) {

        public int disruptionsAllowed() {
            return Math.max(0, currentHealthy - desiredHealthy);
        }
    }

    private DisruptionBudgets() {
    }

    /**
     * Expected pods are, as in the disruption controller, the scale of the controllers owning the selected pods
     * (ReplicaSet, StatefulSet, ReplicationController), plus one per selected pod without such an owner; healthy
     * pods are the selected Ready ones not terminating; minAvailable and maxUnavailable percentages round up.
     *
     * @param scale the {@code spec.replicas} of an owning controller, empty if unknown
     */
    public static Budget budget(PodDisruptionBudget pdb, List<Pod> pods, Function<OwnerReference, Optional<Integer>> scale) {
        int expected = 0;
        int healthy = 0;
        Set<String> owners = new HashSet<>();
        for (Pod p : pods) {
            if (Objects.equals(p.getMetadata().getNamespace(), pdb.getMetadata().getNamespace())
                    && Selectors.matches(pdb.getSpec().getSelector(), p.getMetadata().getLabels())
                    && !PodStates.isFinished(p)) {
                if (!PodStates.isTerminating(p) && PodStates.isReady(p)) {
                    healthy++;
                }
                Optional<OwnerReference> owner = p.getMetadata().getOwnerReferences() == null ? Optional.empty()
                        : p.getMetadata().getOwnerReferences().stream()
                                .filter(r -> Boolean.TRUE.equals(r.getController()) && SCALED.contains(r.getKind()))
                                .findFirst();
                Optional<Integer> replicas = owner.flatMap(scale);
                if (replicas.isPresent()) {
                    if (owners.add(owner.get().getUid())) {
                        expected += replicas.get();
                    }
                } else if (!PodStates.isTerminating(p)) {
                    expected++;
                }
            }
        }
        IntOrString min = pdb.getSpec().getMinAvailable();
        IntOrString max = pdb.getSpec().getMaxUnavailable();
        int desired;
        if (min != null) {
            desired = Workloads.scaled(min, expected, true, 0);
        } else if (max != null) {
            desired = Math.max(0, expected - Workloads.scaled(max, expected, true, 0));
        } else {
            desired = expected;
        }
        return new Budget(expected, healthy, desired);
    }

    private static final Set<String> SCALED = Set.of("ReplicaSet", "StatefulSet", "ReplicationController");

}
