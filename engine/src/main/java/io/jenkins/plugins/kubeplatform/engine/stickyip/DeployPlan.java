package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The planner's output: what to do per identity, for the Service, and for identities beyond the replica count. */
public record DeployPlan(List<WorkloadAction> workloads, ServiceAction service, List<Removal> removals) {

    public DeployPlan {
        workloads = List.copyOf(workloads);
        removals = List.copyOf(removals);
    }

    /** What happens to one identity's workload. */
    public sealed interface WorkloadAction {
        ReplicaIdentity identity();

        /** The identity's reservation (its IPv4 one in a dual-stack pool). */
        Reservation reservation();

        /** Every address the identity's pod must run with, comma-separated, IPv4 first (two in a dual-stack pool). */
        String addresses();

        /** The template hash the identity's pod must carry once the action is done. */
        String templateHash();
    }

    /** The identity has no workload yet. */
    public record Create(ReplicaIdentity identity, Reservation reservation, String addresses, Deployment desired,
                         String templateHash, Optional<String> pinnedNode) implements WorkloadAction {
    }

    /**
     * The workload differs (image, port, address, pinning of an unhealthy pod): replaced with Recreate semantics, or,
     * when {@code inPlace} is present (only images differ and that pod runs Ready with the identity's address),
     * updated in place: the pod keeps its node and address while its kubelet restarts the changed containers.
     */
    public record Replace(ReplicaIdentity identity, Reservation reservation, String addresses, Deployment desired,
                          String templateHash, Optional<String> pinnedNode, String reason,
                          Optional<ClusterView.LivePod> inPlace)
            implements WorkloadAction {

        public Replace(ReplicaIdentity identity, Reservation reservation, String addresses, Deployment desired,
                       String templateHash, Optional<String> pinnedNode, String reason) {
            this(identity, reservation, addresses, desired, templateHash, pinnedNode, reason, Optional.empty());
        }
    }

    /** Already as desired: nothing is written; {@code running} is its pod when it was seen Ready with its address. */
    public record Keep(ReplicaIdentity identity, Reservation reservation, String addresses, String templateHash,
                       Optional<ClusterView.LivePod> running) implements WorkloadAction {
    }

    /** What happens to the app's Service. */
    public sealed interface ServiceAction {
    }

    public record CreateService(Service desired) implements ServiceAction {
    }

    public record UpdateService(Service desired) implements ServiceAction {
    }

    public record KeepService() implements ServiceAction {
    }

    /**
     * An identity beyond the replica count (SIP-7): its workload is deleted, then its reservation is kept idle
     * (keep-namespace) or released.
     */
    public record Removal(ReplicaIdentity identity, boolean workloadExists, Optional<Reservation> reservation,
                          boolean keepReservation) {
    }

    /** Whether applying the plan writes nothing to the cluster. */
    public boolean writesNothing() {
        return workloads.stream().allMatch(w -> w instanceof Keep) && service instanceof KeepService
                && removals.stream().noneMatch(Removal::workloadExists);
    }

    /** The short plan printed before acting. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (WorkloadAction w : workloads) {
            String what;
            if (w instanceof Create c) {
                what = "create" + c.pinnedNode().map(n -> " (pinned to " + n + ")").orElse("");
            } else if (w instanceof Replace r && r.inPlace().isPresent()) {
                what = "update in place: " + r.reason();
            } else if (w instanceof Replace r) {
                what = "replace: " + r.reason() + r.pinnedNode().map(n -> " (pinned to " + n + ")").orElse("");
            } else {
                what = "unchanged";
            }
            lines.add(w.identity() + " -> " + w.addresses() + ": " + what);
        }
        String svc;
        if (service instanceof CreateService c) {
            svc = "create " + c.desired().getMetadata().getName();
        } else if (service instanceof UpdateService u) {
            svc = "update " + u.desired().getMetadata().getName();
        } else {
            svc = "unchanged";
        }
        lines.add("service: " + svc);
        for (Removal r : removals) {
            lines.add(r.identity() + ": remove" + r.reservation().map(res -> ", address " + res.ip()
                    + (r.keepReservation() ? " kept idle (keep-namespace)" : " released")).orElse(""));
        }
        return lines;
    }
}
