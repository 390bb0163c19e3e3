package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.image.ImageName;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.WatchedObjects;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pre-pull phase of a redeploy whose images change (SIP-4): before any identity is replaced, one short-lived pod per
 * node that hosts an identity to be replaced pulls the template's new images there (with the template's
 * {@code imagePullPolicy}, {@code imagePullSecrets} and service account), so that each replacement then only waits for
 * termination and container start, and a bad image or missing credentials fail the deploy while every old pod still
 * serves. The pods run nothing: their command is a path that does not exist, so the container fails to start once
 * the image is on the node, which is all the phase needs to know. Refused pods (RBAC, quota, LimitRange, admission)
 * only skip the phase with a warning: it is an optimisation and an early check, not a requirement.
 */
final class PrePull {

    /** Label on pre-pull pods: the app's name (not {@link StickyIpLabels#NAME}: they are not the app's pods). */
    static final String LABEL = "kubeplatform.jenkins.io/pre-pull";
    /** The pre-pull container's command: a path that exists in no image, so nothing runs. */
    static final String COMMAND = "/kubeplatform-pre-pull/nothing-to-run";
    private static final Set<String> PULLING = Set.of("ContainerCreating", "PodInitializing");
    private static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName");

    /** One image of the template: where it is set ({@code containers[app].image}) and its pull policy (or null). */
    record Image(String image, String field, String pullPolicy) {
    }

    /** Where the pre-pull pods stand. */
    sealed interface State {
        /** Some container still pulls. */
        record Pulling() implements State {
        }

        /** Every container left the pulling state. */
        record Done() implements State {
        }

        /** An image cannot be pulled: the message names image, field, node and the kubelet's message. */
        record Failed(String message) implements State {
        }
    }

    /** The images one node lacks. */
    record NodePull(String node, List<Image> images) {
    }

    /**
     * A pre-pull pod older than this (and than the deploy's timeout) is a leftover of a deploy that was killed before
     * it cleaned up: no pre-pull waits that long, and a running one deletes its pods when its wait ends.
     */
    static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Progress progress;
    private final java.time.Clock clock;
    private final Map<String, ClusterView.NodeState> nodes;

    /** {@code nodes}: the nodes as the deploy listed them, with the images each reports. */
    PrePull(KubernetesClient client, ApiRetry retry, Progress progress, java.time.Clock clock,
            Map<String, ClusterView.NodeState> nodes) {
        this.client = client;
        this.retry = retry;
        this.progress = progress;
        this.clock = clock;
        this.nodes = Map.copyOf(nodes);
    }

    /** {@link #plan(List, Map, Map)} on the nodes this pre-pull was given. */
    Plan plan(List<DeployPlan.Replace> replaces, Map<String, List<Pod>> podsByIdentity) {
        return plan(replaces, podsByIdentity, nodes);
    }

    /**
     * What the phase does: the pulls, and the nodes hosting an identity to be replaced that are left out because
     * their kubelet already reports every new image there, under a pull policy that makes it use that copy.
     */
    record Plan(List<NodePull> pulls, List<String> present) {

        Plan {
            pulls = List.copyOf(pulls);
            present = List.copyOf(present);
        }
    }

    /**
     * Per node hosting a Running and Ready (not terminating) pod of an identity to be replaced: the template's images
     * that pod does not run yet and that the node does not already hold for the kubelet to use. Empty when no image
     * changes (e.g. only a port or an address changed). A pod that is not Ready may sit on a node that runs nothing
     * (NotReady, cordoned for repair): its identity is replaced first anyway, and a pre-pull pod there would only wait
     * out the timeout. An image listed in the node's {@code status.images} is left out only when the kubelet would
     * start the replacement from it without asking the registry ({@link #usesCopyOnNode}); with {@code Always} it
     * contacts the registry, so the pre-pull still checks the image and the credentials there.
     */
    static Plan plan(List<DeployPlan.Replace> replaces, Map<String, List<Pod>> podsByIdentity,
                     Map<String, ClusterView.NodeState> nodes) {
        Map<String, Map<String, Image>> byNode = new TreeMap<>();
        for (DeployPlan.Replace r : replaces) {
            List<Image> wanted = images(r.desired().getSpec().getTemplate().getSpec());
            for (Pod pod : podsByIdentity.getOrDefault(r.identity().workloadName(), List.of())) {
                String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
                if (node == null || node.isBlank() || pod.getMetadata().getDeletionTimestamp() != null
                        || !ClusterObserver.isReady(pod) || !"Running".equals(pod.getStatus().getPhase())) {
                    continue;
                }
                Set<String> running = Set.copyOf(images(pod.getSpec()).stream().map(Image::image).toList());
                Map<String, Image> needed = byNode.computeIfAbsent(node, n -> new LinkedHashMap<>());
                for (Image image : wanted) {
                    if (!running.contains(image.image())) {
                        needed.putIfAbsent(image.image(), image);
                    }
                }
            }
        }
        List<NodePull> pulls = new ArrayList<>();
        List<String> present = new ArrayList<>();
        byNode.forEach((node, images) -> {
            if (images.isEmpty()) {
                return;
            }
            Optional<ClusterView.NodeState> state = Optional.ofNullable(nodes.get(node));
            List<Image> missing = images.values().stream()
                    .filter(i -> state.isEmpty() || !usesCopyOnNode(i, state.get())).toList();
            if (missing.isEmpty()) {
                present.add(node);
            } else {
                pulls.add(new NodePull(node, missing));
            }
        });
        return new Plan(pulls, present);
    }

    /**
     * Whether the kubelet would start {@code image} on {@code node} from the copy the node reports, without contacting
     * the registry: the node lists it and the pull policy (set, or the API server's default for the reference) is
     * {@code IfNotPresent} or {@code Never}. A reference containerd cannot parse is never taken as present.
     */
    static boolean usesCopyOnNode(Image image, ClusterView.NodeState node) {
        Optional<ImageName> reference = ImageName.parse(image.image());
        if (reference.isEmpty() || !node.hasImage(reference.get())) {
            return false;
        }
        String policy = image.pullPolicy() == null || image.pullPolicy().isBlank()
                ? reference.get().defaultPullPolicy() : image.pullPolicy();
        return policy.equals("IfNotPresent") || policy.equals("Never");
    }

    private static List<Image> images(PodSpec spec) {
        List<Image> out = new ArrayList<>();
        if (spec.getInitContainers() != null) {
            for (Container c : spec.getInitContainers()) {
                out.add(new Image(c.getImage(), "initContainers[" + c.getName() + "].image", c.getImagePullPolicy()));
            }
        }
        for (Container c : spec.getContainers()) {
            out.add(new Image(c.getImage(), "containers[" + c.getName() + "].image", c.getImagePullPolicy()));
        }
        return out.stream().filter(i -> i.image() != null && !i.image().isBlank()).toList();
    }

    /**
     * Pulls {@code plan}'s pulls and waits (one watch, at most {@code timeout}) until every pre-pull container left the
     * pulling state; always deletes the pods it created, and the app's pre-pull pods that an earlier deploy left
     * (older than {@link #LEFTOVER_AGE} and {@code timeout}; that deploy was killed before it could).
     *
     * @throws OperationFailedException when an image cannot be pulled on a node, naming image, field, node and the
     *                                  kubelet's message
     */
    void run(String namespace, String app, PodSpec template, Plan plan, Duration timeout) {
        if (!plan.present().isEmpty()) {
            int nodes = plan.present().size() + plan.pulls().size();
            progress.step("pre-pull: " + plan.present().size() + " of " + nodes + " node(s) already have the new "
                    + "image(s) and their pull policy (IfNotPresent or Never) lets the kubelet use that copy, so no "
                    + "pre-pull pod runs there: " + String.join(", ", plan.present()));
        }
        List<NodePull> pulls = plan.pulls();
        if (pulls.isEmpty()) {
            return;
        }
        progress.step("pre-pulling the new image(s) on " + pulls.size() + " node(s) before replacing any identity: "
                + String.join(", ", pulls.stream().map(NodePull::node).toList()));
        Map<String, NodePull> created = new LinkedHashMap<>();
        List<String> leftovers = new ArrayList<>();
        try (WatchedObjects<Pod> pods = WatchedObjects.start("pre-pull pods of " + namespace + "/" + app,
                client.pods().inNamespace(namespace).withLabel(LABEL, app), retry, progress)) {
            leftovers.addAll(leftovers(pods.list(), pulls.stream().map(p -> name(app, p)).toList(), timeout));
            for (NodePull pull : pulls) {
                Pod pod = render(namespace, app, template, pull);
                Optional<String> refused = create(pod);
                if (refused.isPresent()) {
                    progress.warn("pre-pull skipped: " + refused.get() + "; the identities are replaced without it "
                            + "(each replacement then pulls its image itself)");
                    return;
                }
                created.put(pod.getMetadata().getName(), pull);
            }
            Optional<State> outcome = pods.await(list -> Optional.of(state(list, created))
                    .filter(s -> !(s instanceof State.Pulling)), timeout, WatchedObjects.REPORT_EVERY,
                    "waiting for the pre-pull of the new image(s)");
            if (outcome.isEmpty()) {
                progress.warn("pre-pull: not finished on every node within " + timeout.toSeconds() + "s; replacing "
                        + "the identities anyway");
            } else if (outcome.get() instanceof State.Failed failed) {
                throw new OperationFailedException(failed.message());
            } else {
                progress.step("pre-pull: the new image(s) are on " + created.size() + " node(s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted while pre-pulling the images of " + namespace + "/" + app, e);
        } finally {
            delete(namespace, created.keySet());
            if (!leftovers.isEmpty()) {
                progress.step("pre-pull: deleting " + leftovers.size() + " pod(s) an earlier deploy left: "
                        + String.join(", ", leftovers));
                delete(namespace, leftovers);
            }
        }
    }

    /**
     * The names of the pre-pull pods among {@code listed} that this run does not create and that were created longer
     * ago than {@link #LEFTOVER_AGE} and {@code timeout}.
     */
    private List<String> leftovers(List<Pod> listed, List<String> ours, Duration timeout) {
        java.time.Instant before = clock.instant().minus(LEFTOVER_AGE.compareTo(timeout) > 0 ? LEFTOVER_AGE : timeout);
        List<String> out = new ArrayList<>();
        for (Pod p : listed) {
            String created = p.getMetadata().getCreationTimestamp();
            if (ours(p) && !ours.contains(p.getMetadata().getName()) && created != null
                    && java.time.Instant.parse(created).isBefore(before)) {
                out.add(p.getMetadata().getName());
            }
        }
        return out;
    }

    /** Empty when refused (the reason otherwise). */
    private Optional<String> create(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        try {
            retry.create("create pre-pull pod " + ns + "/" + name, () -> client.pods().inNamespace(ns).resource(pod)
                    .create(), () -> client.pods().inNamespace(ns).withName(name).get(), PrePull::ours);
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // left by an earlier run that stopped before cleaning up: same name, so same node and images
                Pod live = retry.call("read pre-pull pod " + ns + "/" + name,
                        () -> client.pods().inNamespace(ns).withName(name).get());
                if (live != null && ours(live)) {
                    return Optional.empty();
                }
            }
            return Optional.of("cannot create pod " + ns + "/" + name + " (" + e.getCode() + " "
                    + ApiRetry.serverMessage(e) + ")");
        } catch (OperationFailedException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static boolean ours(Pod pod) {
        return pod.getMetadata().getLabels() != null && pod.getMetadata().getLabels().containsKey(LABEL)
                && StickyIpLabels.isManaged(pod.getMetadata().getLabels());
    }

    /** Deletes the pods, also when the thread was interrupted (the flag is restored afterwards). */
    private void delete(String namespace, java.util.Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            deleteEach(namespace, names);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deleteEach(String namespace, java.util.Collection<String> names) {
        for (String name : names) {
            try {
                retry.run("delete pre-pull pod " + namespace + "/" + name,
                        () -> client.pods().inNamespace(namespace).withName(name).delete());
            } catch (RuntimeException e) {
                progress.warn("pre-pull pod " + namespace + "/" + name + " could not be deleted (" + e.getMessage()
                        + "); delete it by hand (label " + LABEL + ")");
            }
        }
    }

    /**
     * Where the pods {@code created} (name → what it pulls) stand, given the watched {@code pods}.
     * A container is done once it left ContainerCreating: running, terminated, or waiting for another reason
     * (RunContainerError, CreateContainerError: the image is there, the command is not).
     */
    static State state(List<Pod> pods, Map<String, NodePull> created) {
        Map<String, Pod> byName = new LinkedHashMap<>();
        pods.forEach(p -> byName.put(p.getMetadata().getName(), p));
        boolean pulling = false;
        for (Map.Entry<String, NodePull> e : created.entrySet()) {
            Pod pod = byName.get(e.getKey());
            if (pod == null || pod.getStatus() == null) {
                pulling = true;
                continue;
            }
            String phase = pod.getStatus().getPhase();
            List<ContainerStatus> statuses = new ArrayList<>();
            if (pod.getStatus().getInitContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getInitContainerStatuses());
            }
            if (pod.getStatus().getContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getContainerStatuses());
            }
            for (ContainerStatus cs : statuses) {
                var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                if (waiting != null && PULL_ERRORS.contains(waiting.getReason())) {
                    return new State.Failed(failure(e.getValue(), pod, cs, waiting.getReason(), waiting.getMessage()));
                }
            }
            if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                continue;
            }
            int expected = pod.getSpec().getContainers().size();
            boolean allLeft = statuses.size() >= expected && statuses.stream().allMatch(cs -> cs.getState() != null
                    && (cs.getState().getWaiting() == null || (cs.getState().getWaiting().getReason() != null
                    && !PULLING.contains(cs.getState().getWaiting().getReason()))));
            pulling |= !allLeft;
        }
        return pulling ? new State.Pulling() : new State.Done();
    }

    private static String failure(NodePull pull, Pod pod, ContainerStatus cs, String reason, String message) {
        String image = cs.getImage();
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getName().equals(cs.getName())) {
                image = c.getImage();
            }
        }
        String wanted = image;
        String field = pull.images().stream().filter(i -> i.image().equals(wanted)).map(Image::field).findFirst()
                .orElse("image");
        return field + ": the image " + image + " cannot be pulled on node " + pull.node() + " (" + reason
                + (message == null || message.isBlank() ? "" : ": " + message) + "). Nothing was replaced: every "
                + "identity still runs its old pod. Check the image name and tag, imagePullPolicy, and the registry "
                + "credentials (imagePullSecrets or the service account's).";
    }

    /** The pre-pull pod of one node: the images, the template's pull settings, and nothing else of the app. */
    static Pod render(String namespace, String app, PodSpec template, NodePull pull) {
        List<Container> containers = new ArrayList<>();
        for (Image image : pull.images()) {
            containers.add(new ContainerBuilder().withName("pull-" + containers.size()).withImage(image.image())
                    .withImagePullPolicy(image.pullPolicy()).withCommand(COMMAND)
                    .withNewResources().addToRequests(tiny()).addToLimits(tiny()).endResources()
                    .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                    .build());
        }
        Map<String, String> labels = new TreeMap<>();
        labels.put(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER);
        labels.put(LABEL, app);
        return new PodBuilder().withNewMetadata().withNamespace(namespace)
                .withName(name(app, pull)).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(pull.node()).withRestartPolicy("Never")
                .withServiceAccountName(template.getServiceAccountName())
                .withImagePullSecrets(template.getImagePullSecrets())
                .withAutomountServiceAccountToken(false).withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(0L)
                .withTolerations(new TolerationBuilder().withOperator("Exists").build())
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65534L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .withContainers(containers).endSpec().build();
    }

    private static Map<String, Quantity> tiny() {
        return Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi"));
    }

    /** {@code <app>-pre-pull-<hash of node and images>}: a leftover of the same name pulled the same images there. */
    static String name(String app, NodePull pull) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(pull.node().getBytes(StandardCharsets.UTF_8));
            for (Image i : pull.images()) {
                sha.update(("\0" + i.image() + "\0" + i.pullPolicy()).getBytes(StandardCharsets.UTF_8));
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 10);
            String prefix = app.length() > 200 ? app.substring(0, 200) : app;
            return prefix + "-pre-pull-" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
