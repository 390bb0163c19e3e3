package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.image.ImageName;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.WatchedObjects;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Watches the pods of an app ({@link AppPods}: one resumable watch for all its identities) to tell when an identity's pod
 * is Running and Ready with exactly its reserved address (SIP-6), and
 * explains a failure: which pod, which address was expected, what state it is in, and the likely cause.
 */
final class PodVerifier {

    private static final Set<String> IMAGE_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");

    private final KubernetesClient client;
    private final ApiRetry retry;

    PodVerifier(KubernetesClient client, ApiRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * Starts one watch (one list, then one watch, resumed when it drops) on all pods of an app, through which any
     * number of its identities are awaited; see {@link AppPods}.
     */
    AppPods watchApp(String namespace, String name, io.jenkins.plugins.kubeplatform.engine.core.Progress progress) {
        return new AppPods(WatchedObjects.start("pods of " + namespace + "/" + name,
                client.pods().inNamespace(namespace).withLabel(StickyIpLabels.NAME, name), retry, progress));
    }

    /** The state of one awaited identity as seen through {@link AppPods}. */
    sealed interface Outcome {
        /** Running and Ready with its address. */
        record Ready(Pod pod) implements Outcome {
        }

        /** Failed for good, or timed out: {@code message} names the pod, the expected IP, its state and the cause. */
        record Failed(String message) implements Outcome {
        }

        /** Not there yet. */
        record Waiting() implements Outcome {
        }
    }

    /**
     * All pods of one app, kept current by a single informer. Waiting threads are woken on every change, so a
     * rollout of many identities costs one list and one watch instead of one of each per identity.
     */
    final class AppPods implements AutoCloseable {

        private final WatchedObjects<Pod> pods;

        private AppPods(WatchedObjects<Pod> pods) {
            this.pods = pods;
        }

        /** A counter that moves on every change; pass it to {@link #awaitChange}. */
        long changes() {
            return pods.changes();
        }

        /** Waits until something changed after {@code seen}, or {@code max} passed. */
        void awaitChange(long seen, Duration max) throws InterruptedException {
            pods.awaitChange(seen, max);
        }

        /** Lists the pods again, so that a timeout is decided on the server's current state. */
        void refresh() {
            pods.refresh();
        }

        /** Why the watch is not healthy right now, if it is not. */
        Optional<String> problem() {
            return pods.problem();
        }

        /** The app's pods as currently known, by identity (workload name). */
        java.util.Map<String, List<Pod>> byIdentity() {
            return Rollout.group(pods.list());
        }

        /**
         * Where the identity stands, given its {@code pods}: Ready with its address, failed (a wrong address, an
         * image that cannot be pulled, the watch broke, or {@code timedOut} with a diagnosis), or still waiting.
         */
        Outcome outcome(ReplicaIdentity identity, String ip, Optional<String> templateHash, List<Pod> pods,
                        boolean timedOut, Duration timeout) {
            return outcome(identity, ip, templateHash, pods, timedOut, timeout, p -> true);
        }

        /**
         * {@link #outcome}, where a pod that is Running and Ready with its address also has to pass {@code done}
         * (for a pod updated in place: its changed containers ran again from their new images).
         */
        Outcome outcome(ReplicaIdentity identity, String ip, Optional<String> templateHash, List<Pod> pods,
                        boolean timedOut, Duration timeout, java.util.function.Predicate<Pod> done) {
            Optional<Pod> running = find(pods, ip, templateHash);
            if (running.filter(done).isPresent()) {
                return new Outcome.Ready(running.get());
            }
            if (timedOut && running.isPresent()) {
                Pod p = running.get();
                return new Outcome.Failed(message(p, ip, "Running and Ready but still runs its previous image after "
                        + timeout.toSeconds() + "s", "its kubelet did not restart the updated containers with their "
                        + "new images (check the pod's events, and that the node's kubelet is working)"));
            }
            Optional<String> fatal = fatal(pods, ip, templateHash);
            if (fatal.isPresent()) {
                return new Outcome.Failed(fatal.get());
            }
            if (timedOut) {
                return new Outcome.Failed(diagnose(identity, ip, templateHash, pods, timeout)
                        + problem().map(p -> " (While waiting, the " + p + ".)").orElse(""));
            }
            return new Outcome.Waiting();
        }

        @Override
        public void close() {
            pods.close();
        }
    }

    /**
     * Whether the pod's containers named in {@code restartsAtUpdate} run again from the images its spec names now,
     * after an in-place update: each is Running and ready, and was restarted since the update ({@code restartCount}
     * above the one recorded then) or reports its spec's image. Both are checked because a kubelet may report an
     * image by another of its names.
     */
    static boolean restartedWithNewImages(Pod pod, Map<String, Integer> restartsAtUpdate) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return restartsAtUpdate.isEmpty();
        }
        for (Map.Entry<String, Integer> e : restartsAtUpdate.entrySet()) {
            Optional<ContainerStatus> status = pod.getStatus().getContainerStatuses().stream()
                    .filter(s -> e.getKey().equals(s.getName())).findFirst();
            Optional<String> image = pod.getSpec().getContainers().stream().filter(c -> e.getKey().equals(c.getName()))
                    .map(c -> c.getImage()).findFirst();
            if (status.isEmpty() || image.isEmpty() || !Boolean.TRUE.equals(status.get().getReady())
                    || status.get().getState() == null || status.get().getState().getRunning() == null) {
                return false;
            }
            int restarts = status.get().getRestartCount() == null ? 0 : status.get().getRestartCount();
            if (restarts <= e.getValue() && !sameImage(image.get(), status.get().getImage())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether two image references name the same image, as a kubelet reports a spec's image: both normalised as
     * containerd names images ({@link ImageName}); a reference containerd cannot parse only equals itself.
     */
    static boolean sameImage(String a, String b) {
        return a != null && b != null && normalized(a).equals(normalized(b));
    }

    private static String normalized(String reference) {
        String trimmed = reference.trim();
        return ImageName.parse(trimmed).map(ImageName::lookupName).orElse(trimmed);
    }

    private static boolean current(Pod p, Optional<String> templateHash) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String hash = p.getMetadata().getAnnotations() == null ? null
                : p.getMetadata().getAnnotations().get(StickyIpLabels.TEMPLATE_HASH);
        return templateHash.map(h -> h.equals(hash)).orElse(true);
    }

    static Optional<Pod> find(List<Pod> pods, String ip, Optional<String> templateHash) {
        return pods.stream().filter(p -> current(p, templateHash))
                .filter(p -> ClusterObserver.isReady(p) && "Running".equals(p.getStatus().getPhase())
                        && ip.equals(ClusterObserver.podIps(p)))
                .findFirst();
    }

    /** Failures no amount of waiting fixes: a different address (the CNI ignored the pin) or a bad image. */
    static Optional<String> fatal(List<Pod> pods, String ip, Optional<String> templateHash) {
        for (Pod p : pods) {
            if (!current(p, templateHash)) {
                continue;
            }
            String podIp = ClusterObserver.podIps(p);
            if (podIp != null && !podIp.isBlank() && !podIp.equals(ip)) {
                return Optional.of(message(p, ip, "running with " + podIp + " instead",
                        "the CNI ignored the address pin: check that the pool's CNI setting matches the cluster's CNI "
                                + "(calico or kube-ovn) and that " + ip + " lies in one of the CNI's IP pools"));
            }
            Optional<ContainerStateWaiting> waiting = waiting(p);
            if (waiting.isPresent() && IMAGE_ERRORS.contains(waiting.get().getReason())) {
                return Optional.of(message(p, ip, "waiting: " + waiting.get().getReason()
                                + (waiting.get().getMessage() == null ? "" : " (" + waiting.get().getMessage() + ")"),
                        "the image cannot be pulled: check the image name and tag and the registry credentials"));
            }
        }
        return Optional.empty();
    }

    private String diagnose(ReplicaIdentity identity, String ip, Optional<String> templateHash, List<Pod> pods,
                            Duration timeout) {
        Optional<Pod> pod = pods.stream().filter(p -> current(p, templateHash))
                .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                        : p.getMetadata().getCreationTimestamp()));
        String after = " after " + timeout.toSeconds() + "s";
        if (pod.isEmpty()) {
            String old = pods.isEmpty() ? "no pod exists" : "only pods of an older template exist ("
                    + String.join(", ", pods.stream().map(p -> p.getMetadata().getName()).toList()) + ")";
            String cause = replicaFailure(identity).map(f -> "its ReplicaSet cannot create the pod: " + f
                    + " (change the workload template, the namespace's quota or the admission policy the message"
                    + " names)").orElse("the Deployment " + identity.namespace() + "/" + identity.workloadName()
                    + " cannot create pods (quota, admission webhook) or its old pod is stuck terminating");
            return identity + ": expected a pod with " + ip + " Running and Ready" + after + ", but " + old
                    + ". Likely cause: " + cause + ".";
        }
        Pod p = pod.get();
        Optional<String> fatal = fatal(List.of(p), ip, templateHash);
        if (fatal.isPresent()) {
            return fatal.get();
        }
        Optional<PodCondition> unscheduled = condition(p, "PodScheduled").filter(c -> "False".equals(c.getStatus()));
        if (unscheduled.isPresent()) {
            return message(p, ip, "Pending, not scheduled" + after + ": " + unscheduled.get().getMessage(),
                    "unschedulable: no node can take the pod (node pinning to a full or tainted node, resources, "
                            + "taints); free capacity or use nodePinning: preferred");
        }
        List<String> events = warnings(p);
        String events1 = events.isEmpty() ? "" : " Events: " + String.join("; ", events);
        String lowered = String.join(" ", events).toLowerCase(Locale.ROOT);
        Optional<ContainerStateWaiting> waiting = waiting(p);
        if (p.getStatus() == null || p.getStatus().getPodIP() == null || p.getStatus().getPodIP().isBlank()) {
            String cause = lowered.contains("in use") || lowered.contains("already") || lowered.contains("conflict")
                    || lowered.contains("allocated")
                    ? "IP conflict: another pod holds " + ip + " (find it with kubectl get pods -A -o wide | grep " + ip
                            + "), or the CNI still has it allocated; run ip-ledger sync to record it"
                    : "the CNI did not assign " + ip + " (an address conflict or " + ip + " outside the CNI's IP pools)";
            return message(p, ip, "stuck " + (waiting.map(ContainerStateWaiting::getReason).orElse("ContainerCreating"))
                    + " without an address" + after + "." + events1, cause);
        }
        return message(p, ip, "Running with " + p.getStatus().getPodIP() + " but not Ready" + after + "." + events1,
                "the application does not become ready (crash loop or failing readiness probe): check the pod's logs");
    }

    /**
     * Why the identity's ReplicaSet cannot create its pod, as the deployment controller reports it: the Deployment's
     * {@code ReplicaFailure} condition (copied from the ReplicaSet's, e.g. reason {@code FailedCreate} with the API
     * server's refusal as message); empty when there is none or the Deployment cannot be read.
     */
    Optional<String> replicaFailure(ReplicaIdentity identity) {
        try {
            io.fabric8.kubernetes.api.model.apps.Deployment d = retry.call("read Deployment " + identity.namespace()
                    + "/" + identity.workloadName(), () -> client.apps().deployments().inNamespace(identity.namespace())
                    .withName(identity.workloadName()).get());
            if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
                return Optional.empty();
            }
            return d.getStatus().getConditions().stream()
                    .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                    .map(c -> c.getReason() + ": " + c.getMessage()).findFirst();
        } catch (KubernetesClientException | OperationFailedException e) {
            return Optional.empty();
        }
    }

    private List<String> warnings(Pod p) {
        try {
            List<Event> events = retry.call("list events in " + p.getMetadata().getNamespace(),
                    () -> client.v1().events().inNamespace(p.getMetadata().getNamespace()).list().getItems());
            return events.stream()
                    .filter(e -> e.getInvolvedObject() != null && p.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                    .filter(e -> "Warning".equals(e.getType()))
                    .map(e -> e.getReason() + ": " + e.getMessage())
                    .distinct().limit(3).toList();
        } catch (KubernetesClientException | OperationFailedException e) {
            return List.of();
        }
    }

    private static String message(Pod p, String ip, String state, String cause) {
        return "Pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " (expected IP " + ip + ") is "
                + state + ". Likely cause: " + cause + ".";
    }

    private static Optional<PodCondition> condition(Pod p, String type) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static Optional<ContainerStateWaiting> waiting(Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return p.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getWaiting() != null)
                .map(s -> s.getWaiting())
                .findFirst();
    }
}
