package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Cidr;
import io.jenkins.plugins.kubeplatform.sim.model.Ipv6Cidr;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Cni;
import io.jenkins.plugins.kubeplatform.sim.CustomResources;
import io.jenkins.plugins.kubeplatform.sim.NodeConditions;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimAnnotations;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The kubelets of all simulated nodes, with the CNI plugin's address management. A pod bound to a Ready node goes
 * ContainerCreating (sandbox + address) → image pull → Running → Ready, each step after the configured delay
 * (scaled by speed). Each node keeps an image cache as a real kubelet does: the pull is skipped when the image is on
 * the node (per {@code imagePullPolicy}, see {@code pullImages}), concurrent pulls of one image on one node are one
 * pull, and pulled images outlive their pods (not their node); the node's status lists them ({@link NodeImages}) some
 * time after the pull, as a real kubelet's image list and status loops do. No address → the pod stays ContainerCreating with a
 * Warning event and is retried when addresses are freed or pools change. An image containing {@code fail-pull} goes ErrImagePull then
 * ImagePullBackOff. A pod is Ready when its containers are (after the readiness delay if it has a readiness
 * probe), its readiness gates are True, and its node is Ready. Restarted containers come back after the start
 * delay. Pods with {@link SimAnnotations#RUN_FOR} finish after that long.
 */
public final class Kubelet implements SimController {

    private enum Stage { NEW, NETWORK, PULLING, PULL_FAILED, STARTING, RUNNING, DONE }

    private static final class Track {
        final String uid;
        final String namespace;
        final String name;
        Stage stage = Stage.NEW;
        boolean probePassed;
        boolean restartPending;
        boolean restartDue;
        boolean completionScheduled;
        String runningSince;
        String networkFailure;
        boolean retryScheduled;
        Map<String, String> pullErrors = Map.of();
        /** Containers whose image went to the registry (pulled or resolved): only their pull can fail. */
        java.util.Set<String> fromRegistry = java.util.Set.of();
        int pullsLeft;
        /** When (wall clock) the containers of a pod marked for deletion are due to stop; null until it is. */
        java.time.Instant stopDue;
        /** Containers restarted for a changed image, by name: the latest replacement of each. */
        final Map<String, Replacement> replacing = new HashMap<>();

        Track(Pod pod) {
            this.uid = pod.getMetadata().getUid();
            this.namespace = pod.getMetadata().getNamespace();
            this.name = pod.getMetadata().getName();
        }
    }

    /** Where an in-place image change of one container stands. */
    private enum ReplaceStage { PULLING, FAILED, STARTING, STARTED }

    /**
     * One in-place restart of a container whose image changed (the kubelet's {@code containerChanged}): the old
     * container is killed, the new image pulled per the node's cache, then a new container started in the same
     * sandbox, so the pod keeps its UID, node and addresses.
     */
    private static final class Replacement {
        final String container;
        final String image;
        final String containerId;
        ReplaceStage stage = ReplaceStage.PULLING;
        boolean fromRegistry;
        boolean probePassed;
        String waitingReason;
        String waitingMessage;

        Replacement(String container, String image, String containerId) {
            this.container = container;
            this.image = image;
            this.containerId = containerId;
        }
    }

    private SimContext ctx;
    private Cni cni;
    private Ipam ipam;
    private ImagePulls imagePulls;
    private Observed<Pod> pods;
    private Observed<Node> nodes;
    private final Map<String, Track> tracks = new HashMap<>();
    /** Numbers the containers started for image changes, so each gets its own ID. */
    private final java.util.concurrent.atomic.AtomicLong containers = new java.util.concurrent.atomic.AtomicLong();
    /** Each node's images: images pulled there stay until the node is removed. */
    private final NodeImages images = new NodeImages();
    /** Nodes whose image list is due to be reported in their status (one write per batch of pulls). */
    private final java.util.Set<String> imagesReportDue = new java.util.HashSet<>();
    /** Pulls in progress, by node and image, with what waits for each: one pull per image and node at a time. */
    private final Map<String, List<Runnable>> pulling = new HashMap<>();

    @Override
    public String name() {
        return "kubelet";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.cni = ctx.options().cni();
        this.ipam = new Ipam(cni);
        this.imagePulls = new ImagePulls(ctx.client(), ctx.options().registryLogins());
        CustomResources poolType = cni == Cni.CALICO ? CustomResources.CALICO_IPPOOL : CustomResources.KUBE_OVN_SUBNET;
        Observed<GenericKubernetesResource>[] pools = new Observed[1];
        ChangeHandler<GenericKubernetesResource> onPool = new ChangeHandler<>() {
            @Override
            public void changed(GenericKubernetesResource pool) {
                refreshPools(pools[0]);
            }

            @Override
            public void deleted(GenericKubernetesResource pool) {
                refreshPools(pools[0]);
            }
        };
        pools[0] = ctx.observe(ctx.client().genericKubernetesResources(poolType.context()), onPool);
        if (cni == Cni.CALICO) {
            Observed<GenericKubernetesResource>[] reserved = new Observed[1];
            reserved[0] = ctx.observe(ctx.client().genericKubernetesResources(
                    CustomResources.CALICO_IPRESERVATION.context()), new ChangeHandler<>() {
                        @Override
                        public void changed(GenericKubernetesResource r) {
                            refreshReservations(reserved[0]);
                        }

                        @Override
                        public void deleted(GenericKubernetesResource r) {
                            refreshReservations(reserved[0]);
                        }
                    });
        }
        // a node update that only lists new images is this kubelet's own report: nothing to do for its pods
        this.nodes = ctx.observe(ctx.client().nodes(), NodeChanges.ignoringImageReports(new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
                for (Pod pod : pods.list(p -> node.getMetadata().getName().equals(p.getSpec().getNodeName()))) {
                    reconcile(pod);
                }
            }

            @Override
            public void deleted(Node node) {
                images.removeNode(node.getMetadata().getName()); // a new node of that name starts with no images
            }
        }));
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                reconcile(pod);
            }

            @Override
            public void deleted(Pod pod) {
                tracks.remove(pod.getMetadata().getUid());
                ipam.release(pod.getMetadata().getUid());
                retryNetwork();
            }
        });
    }

    private void refreshReservations(Observed<GenericKubernetesResource> observed) {
        List<Cidr> reserved = new ArrayList<>();
        for (GenericKubernetesResource r : observed.list()) {
            if (r.get("spec", "reservedCIDRs") instanceof List<?> cidrs) {
                for (Object c : cidrs) {
                    try {
                        String text = String.valueOf(c);
                        reserved.add(Cidr.parse(text.contains("/") ? text : text + "/32"));
                    } catch (IllegalArgumentException e) {
                        // Calico rejects a malformed entry; it reserves nothing
                    }
                }
            }
        }
        ipam.setReservations(reserved);
        retryNetwork();
    }

    private void refreshPools(Observed<GenericKubernetesResource> observed) {
        List<Ipam.Pool> list = new ArrayList<>();
        List<Ipam.Ipv6Pool> ipv6 = new ArrayList<>();
        for (GenericKubernetesResource r : observed.list()) {
            Object block = cni == Cni.CALICO ? r.get("spec", "cidr") : r.get("spec", "cidrBlock");
            Object disabled = cni == Cni.CALICO ? r.get("spec", "disabled") : null;
            boolean off = Boolean.TRUE.equals(disabled) || "true".equals(String.valueOf(disabled));
            // a Calico IPPool is of one family; a dual-stack Kube-OVN subnet's cidrBlock is "<IPv4 CIDR>,<IPv6 CIDR>"
            String cidr = null;
            for (String part : block == null ? new String[0] : block.toString().split(",")) {
                if (part.contains(":")) {
                    try {
                        ipv6.add(new Ipam.Ipv6Pool(r.getMetadata().getName(), Ipv6Cidr.parse(part), off));
                    } catch (IllegalArgumentException e) {
                        // unusable, as in the CNI
                    }
                } else if (cidr == null) {
                    cidr = part.trim();
                }
            }
            if (cidr != null) {
                try {
                    Object blockSize = r.get("spec", "blockSize");
                    Object selector = r.get("spec", "nodeSelector");
                    Object mode = r.get("spec", "assignmentMode");
                    list.add(new Ipam.Pool(r.getMetadata().getName(), Cidr.parse(cidr.toString()),
                            Boolean.TRUE.equals(disabled) || "true".equals(String.valueOf(disabled)),
                            blockSize instanceof Number n ? n.intValue() : 26,
                            selector == null ? "all()" : selector.toString(), "Manual".equals(String.valueOf(mode)),
                            cni == Cni.KUBE_OVN ? excludeRanges(r.get("spec", "excludeIps")) : List.of()));
                } catch (IllegalArgumentException e) {
                    // A pool with a malformed CIDR is unusable, as in Calico.
                }
            }
        }
        list.sort((a, b) -> a.name().compareTo(b.name()));
        ipam.setPools(list);
        ipam.setIpv6Pools(ipv6);
        retryNetwork();
    }

    /** Kube-OVN {@code excludeIps}: single addresses or {@code first..last} ranges. */
    private static List<long[]> excludeRanges(Object value) {
        List<long[]> ranges = new ArrayList<>();
        if (value instanceof List<?> items) {
            for (Object item : items) {
                String[] ends = String.valueOf(item).trim().split("\\.\\.", 2);
                Optional<Long> first = Cidr.toLong(ends[0]);
                Optional<Long> last = Cidr.toLong(ends.length > 1 ? ends[1] : ends[0]);
                if (first.isPresent() && last.isPresent() && first.get() <= last.get()) {
                    ranges.add(new long[] {first.get(), last.get()});
                }
            }
        }
        return ranges;
    }

    private void retryNetwork() {
        for (Track t : new ArrayList<>(tracks.values())) {
            if (t.stage == Stage.NETWORK) {
                current(t).ifPresent(this::reconcile);
            }
        }
    }

    private Optional<Pod> current(Track t) {
        return pods.get(t.namespace, t.name).filter(p -> t.uid.equals(p.getMetadata().getUid()));
    }

    private void later(Track t, Duration simulated, Runnable step) {
        ctx.after(simulated, () -> {
            if (tracks.get(t.uid) == t) {
                step.run();
            }
        });
    }

    private void reconcile(Pod pod) {
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            return;
        }
        if (PodStates.isTerminating(pod)) {
            terminate(pod, nodeName);
            return;
        }
        Optional<Node> node = nodes.get(null, nodeName);
        if (node.isEmpty()) {
            return;
        }
        Track t = tracks.computeIfAbsent(pod.getMetadata().getUid(), uid -> new Track(pod));
        if (PodStates.isFinished(pod)) {
            t.stage = Stage.DONE;
            ipam.release(t.uid);
            return;
        }
        boolean nodeReady = NodeConditions.isReady(node.get());
        switch (t.stage) {
            case NEW -> {
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && pod.getStatus().getPodIP() != null) {
                    ipam.hold(t.uid, PodStates.ref(pod), pod.getStatus().getPodIP());
                    if (pod.getStatus().getPodIPs() != null) {
                        pod.getStatus().getPodIPs().stream().skip(1)
                                .forEach(a -> ipam.hold(t.uid, PodStates.ref(pod), a.getIp()));
                    }
                    t.stage = Stage.RUNNING;
                    t.probePassed = true;
                    running(pod, t, nodeReady);
                } else if (nodeReady) {
                    t.stage = Stage.NETWORK;
                    network(pod, t, node.get());
                }
            }
            case NETWORK -> {
                if (nodeReady) {
                    network(pod, t, node.get());
                }
            }
            case RUNNING -> {
                replaceChangedImages(pod, t);
                running(pod, t, nodeReady);
            }
            default -> {
                // waiting for a timer
            }
        }
    }

    /**
     * A pod marked for deletion, as the kubelet's pod workers and status manager handle it: after the termination
     * delay (never longer than the pod's grace period) its containers are stopped, the phase goes terminal, the
     * sandbox is torn down, so the CNI frees the address, and the pod is deleted with grace 0 and its uid as
     * precondition (status_manager.go {@code syncPod}/{@code canBeDeleted}). A shorter grace period set by a later
     * delete brings this forward. On a node that is not Ready nothing happens: no kubelet reports, so the pod stays
     * Terminating until the node is Ready again.
     */
    private void terminate(Pod pod, String nodeName) {
        Optional<Node> node = nodes.get(null, nodeName);
        if (node.isEmpty() || !NodeConditions.isReady(node.get())) {
            return;
        }
        Track t = tracks.computeIfAbsent(pod.getMetadata().getUid(), uid -> new Track(pod));
        t.stage = Stage.DONE; // no timer of the running pod writes its status any more
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        Duration delay = ctx.options().podTerminationDelay();
        if (grace != null && Duration.ofSeconds(Math.max(0, grace)).compareTo(delay) < 0) {
            delay = Duration.ofSeconds(Math.max(0, grace));
        }
        java.time.Instant due = ctx.clock().instant().plus(ctx.scaled(delay));
        if (t.stopDue != null && !due.isBefore(t.stopDue)) {
            return;
        }
        t.stopDue = due;
        later(t, delay, () -> {
            if (due.equals(t.stopDue)) {
                stop(t);
            }
        });
    }

    private void stop(Track t) {
        Optional<Pod> pod = current(t);
        if (pod.isEmpty()) {
            return;
        }
        Optional<Node> node = nodes.get(null, pod.get().getSpec().getNodeName());
        if (node.isEmpty() || !NodeConditions.isReady(node.get())) {
            t.stopDue = null; // the node went away meanwhile: the next Ready brings the pod back here
            return;
        }
        for (Container c : pod.get().getSpec().getContainers()) {
            ctx.events().normal(pod.get(), "Killing", "Stopping container " + c.getName());
        }
        write(pod.get(), this::stopped);
        ipam.release(t.uid);
        retryNetwork();
        remove(pod.get());
    }

    /** The status manager's final delete: grace 0, the pod's uid as precondition (a pod of the same name made since stays). */
    private void remove(Pod pod) {
        String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
        Map<String, Object> options = Map.of("kind", "DeleteOptions", "apiVersion", "v1", "gracePeriodSeconds", 0,
                "preconditions", Map.of("uid", pod.getMetadata().getUid()));
        try {
            ctx.client().raw(path, "DELETE", options);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * The status of a pod whose containers were stopped: each terminated (exit code 0, the container ended on
     * SIGTERM), not ready, and the phase terminal as the kubelet's {@code getPhase} reports a pod that is terminal
     * with all containers stopped (Succeeded when all exited 0).
     */
    private boolean stopped(Pod p) {
        PodStatus s = status(p);
        String now = now();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (ContainerStatus cs : s.getContainerStatuses() == null ? List.<ContainerStatus>of()
                : s.getContainerStatuses()) {
            if (cs.getState() == null || cs.getState().getTerminated() == null) {
                String started = cs.getState() != null && cs.getState().getRunning() != null
                        ? cs.getState().getRunning().getStartedAt() : null;
                cs.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                        .withStartedAt(started).withFinishedAt(now).withContainerID(cs.getContainerID())
                        .endTerminated().build());
            }
            cs.setReady(false);
            cs.setStarted(false);
            statuses.add(cs);
        }
        s.setContainerStatuses(statuses);
        boolean failed = statuses.stream().anyMatch(cs -> cs.getState().getTerminated().getExitCode() != 0);
        s.setPhase(failed ? "Failed" : "Succeeded");
        setConditions(p, Map.of("ContainersReady", "False", "Ready", "False", "PodReadyToStartContainers", "False"),
                "PodCompleted", null);
        return true;
    }

    private void network(Pod pod, Track t, Node node) {
        Ipam.Result result = ipam.assign(t.uid, PodStates.ref(pod), pod.getMetadata().getAnnotations(),
                node.getMetadata().getName(), node.getMetadata().getLabels() == null ? Map.of()
                        : node.getMetadata().getLabels());
        if (result instanceof Ipam.Result.Failed failed) {
            write(pod, p -> creating(p, node, null, null));
            if (!failed.message().equals(t.networkFailure)) {
                t.networkFailure = failed.message();
                if (cni == Cni.CALICO) {
                    ctx.events().warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: rpc error: "
                            + "code = Unknown desc = failed to setup network for sandbox \"" + t.name + "\": "
                            + failed.message());
                } else {
                    ctx.events().warning(pod, "AcquireAddressFailed", failed.message());
                }
            }
            if (!t.retryScheduled) {
                t.retryScheduled = true;
                later(t, Duration.ofSeconds(10), () -> {
                    t.retryScheduled = false;
                    current(t).ifPresent(this::reconcile);
                });
            }
            return;
        }
        Ipam.Result.Assigned assigned = (Ipam.Result.Assigned) result;
        t.networkFailure = null;
        t.stage = Stage.PULLING;
        Pod annotated = Writes.update(ctx.client(), latest(pod),
                p -> cniAnnotations(p, assigned.ip(), assigned.ipv6(), assigned.pool())).map(p -> {
                    pods.put(p);
                    return p;
                }).orElse(pod);
        write(annotated, p -> creating(p, node, assigned.ip(), assigned.ipv6(), assigned.pool()));
        pullImages(t, pod, node.getMetadata().getName());
    }

    /**
     * The kubelet's image manager: per container, {@code imagePullPolicy} (defaulted as the API server does:
     * {@code Always} for {@code :latest} or no tag, else {@code IfNotPresent}) against the node's image cache.
     * IfNotPresent/Never with the image on the node: nothing to do (no registry, so no credential check); Never
     * without it: ErrImageNeverPull; Always with it: a short registry round trip; otherwise a pull, shared with any
     * pull of the same image on that node already in progress. A pull that fails is not shared and caches nothing.
     */
    private void pullImages(Track t, Pod pod, String node) {
        Map<String, String> never = new LinkedHashMap<>();
        java.util.Set<String> fromRegistry = new java.util.HashSet<>();
        List<String> shared = new ArrayList<>();
        Duration own = Duration.ZERO;
        for (Container c : pod.getSpec().getContainers()) {
            String image = c.getImage() == null ? "" : c.getImage();
            String policy = pullPolicy(c);
            boolean present = images.has(node, image);
            if (present && !policy.equals("Always")) {
                ctx.events().normal(pod, "Pulled", "Container image \"" + image + "\" already present on machine");
            } else if (policy.equals("Never")) {
                never.put(c.getName(), "Container image \"" + image + "\" is not present with pull policy of Never");
            } else if (present) {
                fromRegistry.add(c.getName());
                own = max(own, ctx.options().imageResolveDelay());
            } else if (imagePulls.error(pod, c).isPresent()) {
                fromRegistry.add(c.getName());
                own = max(own, ctx.options().imagePullDelay());
            } else {
                fromRegistry.add(c.getName());
                String key = node + "\n" + image;
                if (!shared.contains(key)) {
                    shared.add(key);
                }
                if (!pulling.containsKey(key)) {
                    pulling.put(key, new ArrayList<>());
                    ctx.events().normal(pod, "Pulling", "Pulling image \"" + image + "\"");
                    ctx.after(ctx.options().imagePullDelay(), () -> imagePulled(node, image, key));
                }
            }
        }
        if (!never.isEmpty()) {
            neverPull(t, pod, never);
            return;
        }
        t.fromRegistry = fromRegistry;
        t.pullsLeft = shared.size() + 1;
        for (String key : shared) {
            pulling.get(key).add(() -> pullDone(t));
        }
        later(t, own, () -> pullDone(t));
    }

    /** The pull finished (even if the pod that started it is gone): the image is in the node's cache. */
    private void imagePulled(String node, String image, String key) {
        if (nodes.get(null, node).isPresent()) {
            images.add(node, image);
            reportImagesLater(node);
        }
        for (Runnable waiter : pulling.remove(key)) {
            waiter.run();
        }
    }

    /**
     * Reports the node's images in its status ({@code nodes/status}) after
     * {@link io.jenkins.plugins.kubeplatform.sim.SimOptions#nodeImagesReportDelay()},
     * with every pull finished there by then: the lag of a real kubelet's image list and node status loops.
     */
    private void reportImagesLater(String node) {
        if (imagesReportDue.add(node)) {
            ctx.after(ctx.options().nodeImagesReportDelay(), () -> {
                imagesReportDue.remove(node);
                nodes.get(null, node).ifPresent(n -> reportImages(n, images.status(node)));
            });
        }
    }

    private void reportImages(Node node, List<ContainerImage> reported) {
        Writes.updateStatus(ctx.client(), node, n -> {
            List<ContainerImage> before = n.getStatus().getImages() == null ? List.of() : n.getStatus().getImages();
            if (before.equals(reported)) {
                return false;
            }
            n.getStatus().setImages(new ArrayList<>(reported));
            return true;
        });
    }

    private void pullDone(Track t) {
        if (tracks.get(t.uid) == t && --t.pullsLeft == 0) {
            pulled(t);
        }
    }

    private void neverPull(Track t, Pod pod, Map<String, String> never) {
        t.stage = Stage.PULL_FAILED;
        t.pullErrors = never;
        for (Container c : pod.getSpec().getContainers()) {
            if (never.containsKey(c.getName())) {
                ctx.events().warning(pod, "ErrImageNeverPull", never.get(c.getName()));
            }
        }
        write(pod, p -> setWaiting(p, "ErrImageNeverPull", never));
    }

    static String pullPolicy(Container c) {
        if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isBlank()) {
            return c.getImagePullPolicy();
        }
        return io.jenkins.plugins.kubeplatform.sim.api.Defaulting.defaultPullPolicy(
                c.getImage() == null ? "" : c.getImage());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The CNI plugin's annotations of the pod's address (Calico's podIP/podIPs, Kube-OVN's allocated/ip/cidr/logical
     * switch), written through the pod itself as the plugins patch them, before the kubelet reports the address.
     */
    private boolean cniAnnotations(Pod p, String ip, Optional<String> ipv6, Ipam.Pool pool) {
        Map<String, String> ann = new LinkedHashMap<>(p.getMetadata().getAnnotations() == null ? Map.of()
                : p.getMetadata().getAnnotations());
        Map<String, String> before = Map.copyOf(ann);
        if (cni == Cni.CALICO) {
            ann.put("cni.projectcalico.org/podIP", ip + "/32");
            ann.put("cni.projectcalico.org/podIPs", ip + "/32" + ipv6.map(v6 -> "," + v6 + "/128").orElse(""));
        } else {
            ann.put("ovn.kubernetes.io/allocated", "true");
            ann.putIfAbsent(Cni.KUBE_OVN.ipAnnotation(), ip);
            if (pool != null) {
                ann.put("ovn.kubernetes.io/cidr", pool.cidr().toString());
                ann.put(Ipam.OVN_LOGICAL_SWITCH, pool.name());
            }
        }
        if (ann.equals(before)) {
            return false;
        }
        p.getMetadata().setAnnotations(ann);
        return true;
    }

    private boolean creating(Pod p, Node node, String ip, Ipam.Pool pool) {
        return creating(p, node, ip, Optional.empty(), pool);
    }

    /** {@code ipv6}: the second address of a dual-stack pod; the kubelet lists it after the IPv4 one. */
    private boolean creating(Pod p, Node node, String ip, Optional<String> ipv6, Ipam.Pool pool) {
        PodStatus s = status(p);
        boolean changed = false;
        String hostIp = internalIp(node);
        if (!Objects.equals(s.getHostIP(), hostIp)) {
            s.setHostIP(hostIp);
            s.setHostIPs(List.of(new io.fabric8.kubernetes.api.model.HostIPBuilder().withIp(hostIp).build()));
            changed = true;
        }
        if (s.getStartTime() == null) {
            s.setStartTime(now());
            changed = true;
        }
        if (!"Pending".equals(s.getPhase())) {
            s.setPhase("Pending");
            changed = true;
        }
        if (ip != null && !ip.equals(s.getPodIP())) {
            s.setPodIP(ip);
            List<io.fabric8.kubernetes.api.model.PodIP> podIps = new ArrayList<>();
            podIps.add(new PodIPBuilder().withIp(ip).build());
            ipv6.ifPresent(v6 -> podIps.add(new PodIPBuilder().withIp(v6).build()));
            s.setPodIPs(podIps);
            changed = true;
        }
        if (s.getContainerStatuses() == null || s.getContainerStatuses().isEmpty()) {
            List<ContainerStatus> statuses = new ArrayList<>();
            for (Container c : p.getSpec().getContainers()) {
                statuses.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                        .withImageID("").withReady(false).withStarted(false).withRestartCount(0)
                        .withState(waiting("ContainerCreating", null)).build());
            }
            s.setContainerStatuses(statuses);
            changed = true;
        }
        changed |= setConditions(p, Map.of("PodScheduled", "True", "PodReadyToStartContainers", ip != null ? "True"
                : "False", "Initialized", "True", "ContainersReady", "False", "Ready", "False"), "ContainersNotReady",
                unreadyMessage(p));
        return changed;
    }

    private void pulled(Track t) {
        Optional<Pod> pod = current(t);
        if (pod.isEmpty() || t.stage != Stage.PULLING) {
            return;
        }
        Map<String, String> failing = new LinkedHashMap<>();
        for (Container c : pod.get().getSpec().getContainers()) {
            if (t.fromRegistry.contains(c.getName())) {
                imagePulls.error(pod.get(), c).ifPresent(message -> failing.put(c.getName(), message));
            }
        }
        if (failing.isEmpty()) {
            t.stage = Stage.STARTING;
            later(t, ctx.options().containerStartDelay(), () -> started(t));
            return;
        }
        t.stage = Stage.PULL_FAILED;
        t.pullErrors = failing;
        for (Container c : pod.get().getSpec().getContainers()) {
            if (failing.containsKey(c.getName())) {
                ctx.events().warning(pod.get(), "Failed", "Failed to pull image \"" + c.getImage() + "\": "
                        + failing.get(c.getName()));
                ctx.events().warning(pod.get(), "Failed", "Error: ErrImagePull");
            }
        }
        write(pod.get(), p -> setWaiting(p, "ErrImagePull", t.pullErrors));
        later(t, ctx.options().imagePullDelay(), () -> current(t).ifPresent(p -> {
            for (Container c : p.getSpec().getContainers()) {
                if (failing.containsKey(c.getName())) {
                    ctx.events().warning(p, "BackOff", "Back-off pulling image \"" + c.getImage() + "\"");
                }
            }
            ctx.events().warning(p, "Failed", "Error: ImagePullBackOff");
            write(p, q -> setWaiting(q, "ImagePullBackOff", t.pullErrors));
        }));
    }

    private boolean setWaiting(Pod p, String reason, Map<String, String> errors) {
        boolean changed = false;
        for (ContainerStatus cs : status(p).getContainerStatuses()) {
            if (!errors.containsKey(cs.getName())) {
                continue;
            }
            String message = reason.equals("ImagePullBackOff") ? "Back-off pulling image \"" + cs.getImage() + "\""
                    : errors.get(cs.getName());
            ContainerState state = waiting(reason, message);
            if (!state.equals(cs.getState())) {
                cs.setState(state);
                changed = true;
            }
        }
        return changed;
    }

    private void started(Track t) {
        Optional<Pod> pod = current(t);
        if (pod.isEmpty() || t.stage != Stage.STARTING) {
            return;
        }
        t.stage = Stage.RUNNING;
        t.runningSince = now();
        t.probePassed = !hasReadinessProbe(pod.get());
        if (!t.probePassed) {
            scheduleProbe(t, pod.get());
        }
        scheduleCompletion(t, pod.get());
        nodes.get(null, pod.get().getSpec().getNodeName())
                .ifPresent(n -> running(pod.get(), t, NodeConditions.isReady(n)));
    }

    private void scheduleProbe(Track t, Pod pod) {
        Duration delay = ctx.options().readinessDelay();
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getReadinessProbe() != null && c.getReadinessProbe().getInitialDelaySeconds() != null) {
                delay = delay.plusSeconds(c.getReadinessProbe().getInitialDelaySeconds());
            }
        }
        later(t, delay, () -> {
            t.probePassed = true;
            current(t).ifPresent(this::reconcile);
        });
    }

    private void scheduleCompletion(Track t, Pod pod) {
        String restartPolicy = pod.getSpec().getRestartPolicy();
        Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
        Optional<Duration> runFor = Durations.parse(ann.get(SimAnnotations.RUN_FOR));
        if (t.completionScheduled || runFor.isEmpty() || restartPolicy == null || restartPolicy.equals("Always")) {
            return;
        }
        t.completionScheduled = true;
        int exitCode;
        try {
            exitCode = Integer.parseInt(ann.getOrDefault(SimAnnotations.EXIT_CODE, "0").trim());
        } catch (NumberFormatException e) {
            exitCode = 1;
        }
        int code = exitCode;
        later(t, runFor.get(), () -> current(t).ifPresent(p -> finish(t, p, code)));
    }

    private void finish(Track t, Pod pod, int exitCode) {
        if (t.stopDue != null) {
            return; // being stopped for its deletion
        }
        t.stage = Stage.DONE;
        String now = now();
        write(pod, p -> {
            PodStatus s = status(p);
            s.setPhase(exitCode == 0 ? "Succeeded" : "Failed");
            for (ContainerStatus cs : s.getContainerStatuses()) {
                String started = cs.getState() != null && cs.getState().getRunning() != null
                        ? cs.getState().getRunning().getStartedAt() : t.runningSince;
                cs.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error").withStartedAt(started).withFinishedAt(now)
                        .endTerminated().build());
                cs.setReady(false);
                cs.setStarted(false);
            }
            setConditions(p, Map.of("ContainersReady", "False", "Ready", "False", "PodReadyToStartContainers",
                    "False"), "PodCompleted", null);
            return true;
        });
        ipam.release(t.uid);
        retryNetwork();
    }

    private void running(Pod pod, Track t, boolean nodeReady) {
        boolean crashed = false;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
                crashed |= restarts(pod, cs) && !replacedNotStarted(t, cs);
            }
        }
        if (crashed && !t.restartPending && !t.restartDue) {
            t.restartPending = true;
            t.probePassed = !hasReadinessProbe(pod);
            later(t, ctx.options().containerStartDelay(), () -> {
                t.restartPending = false;
                t.restartDue = true;
                current(t).ifPresent(p -> {
                    if (!t.probePassed) {
                        scheduleProbe(t, p);
                    }
                    reconcile(p);
                });
            });
        }
        boolean restartNow = t.restartDue;
        Optional<Pod> written = write(pod, p -> runningStatus(p, t, nodeReady, restartNow));
        if (restartNow && written.isPresent()) {
            t.restartDue = false;
        }
    }

    private boolean runningStatus(Pod p, Track t, boolean nodeReady, boolean restartNow) {
        PodStatus s = status(p);
        boolean changed = false;
        if (!"Running".equals(s.getPhase())) {
            s.setPhase("Running");
            changed = true;
        }
        Map<String, ContainerStatus> existing = new HashMap<>();
        if (s.getContainerStatuses() != null) {
            for (ContainerStatus cs : s.getContainerStatuses()) {
                existing.put(cs.getName(), cs);
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean allReady = true;
        for (Container c : p.getSpec().getContainers()) {
            ContainerStatus old = existing.get(c.getName());
            ContainerStatus cs = old == null ? new ContainerStatusBuilder().withName(c.getName()).withRestartCount(0)
                    .build() : old;
            Replacement replacement = t.replacing.get(c.getName());
            if (replacement != null && (replacement.stage != ReplaceStage.STARTED
                    || !replacement.containerId.equals(cs.getContainerID()) || !replacement.probePassed)) {
                changed |= replacementStatus(cs, replacement);
                allReady = false;
                statuses.add(cs);
                continue;
            }
            boolean terminated = cs.getState() != null && cs.getState().getTerminated() != null;
            boolean isRunning = cs.getState() != null && cs.getState().getRunning() != null;
            if ((terminated && restartNow && restarts(p, cs)) || (!terminated && !isRunning)) {
                cs.setState(new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build());
                cs.setContainerID("containerd://" + Long.toHexString(Objects.hash(t.uid, c.getName(), now()))
                        + "sim");
                changed = true;
                terminated = false;
            }
            boolean ready = !terminated && t.probePassed;
            if (!Objects.equals(cs.getReady(), ready)) {
                cs.setReady(ready);
                changed = true;
            }
            if (!Objects.equals(cs.getStarted(), !terminated)) {
                cs.setStarted(!terminated);
                changed = true;
            }
            if (cs.getImage() == null || cs.getImage().isEmpty()) {
                cs.setImage(c.getImage());
                changed = true;
            }
            if (cs.getImageID() == null || cs.getImageID().isEmpty()) {
                cs.setImageID(imageId(cs.getImage()));
                changed = true;
            }
            allReady &= ready;
            statuses.add(cs);
        }
        s.setContainerStatuses(statuses);
        boolean gates = gatesPassed(p);
        boolean ready = allReady && gates && nodeReady;
        String reason = !allReady ? "ContainersNotReady" : !gates ? "ReadinessGatesNotReady" : null;
        changed |= setConditions(p, Map.of("PodScheduled", "True", "PodReadyToStartContainers", "True",
                "Initialized", "True", "ContainersReady", allReady ? "True" : "False", "Ready", ready ? "True" : "False"),
                reason, !allReady ? unreadyMessage(p) : !gates ? "the status of pod readiness gates is not \"True\"" : null);
        return changed;
    }

    /**
     * Starts an in-place restart for each container whose spec image differs from the image it runs (or is being
     * restarted for): the kubelet kills it ("definition changed") and starts it again from the new image.
     */
    private void replaceChangedImages(Pod pod, Track t) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return;
        }
        for (Container c : pod.getSpec().getContainers()) {
            Replacement current = t.replacing.get(c.getName());
            String running = current != null ? current.image : pod.getStatus().getContainerStatuses().stream()
                    .filter(cs -> c.getName().equals(cs.getName())).map(ContainerStatus::getImage).findFirst()
                    .orElse(c.getImage());
            if (c.getImage() == null || c.getImage().equals(running)) {
                continue;
            }
            Replacement r = new Replacement(c.getName(), c.getImage(), containerId(t, c.getName()));
            t.replacing.put(c.getName(), r);
            ctx.events().normal(pod, "Killing", "Container " + c.getName() + " definition changed, will be restarted");
            pullReplacement(t, pod, c, r);
        }
    }

    /**
     * Whether the kubelet starts this exited container again ({@code ShouldContainerBeRestarted},
     * pkg/kubelet/container/helpers.go): never under restart policy Never, under OnFailure only after a non-zero exit.
     */
    private static boolean restarts(Pod pod, ContainerStatus cs) {
        if (cs.getState() == null || cs.getState().getTerminated() == null) {
            return false;
        }
        String policy = pod.getSpec().getRestartPolicy();
        Integer exitCode = cs.getState().getTerminated().getExitCode();
        return !"Never".equals(policy) && !("OnFailure".equals(policy) && (exitCode == null || exitCode == 0));
    }

    /** Whether this terminated status is a container killed for an image change whose new one has not started. */
    private static boolean replacedNotStarted(Track t, ContainerStatus cs) {
        Replacement r = t.replacing.get(cs.getName());
        return r != null && !r.containerId.equals(cs.getContainerID());
    }

    /** The image manager's decision for the new image of one container, as {@link #pullImages} makes it. */
    private void pullReplacement(Track t, Pod pod, Container c, Replacement r) {
        String node = pod.getSpec().getNodeName();
        boolean present = images.has(node, r.image);
        String policy = pullPolicy(c);
        if (present && !policy.equals("Always")) {
            ctx.events().normal(pod, "Pulled", "Container image \"" + r.image + "\" already present on machine");
            replacementPulled(t, r);
        } else if (policy.equals("Never")) {
            String message = "Container image \"" + r.image + "\" is not present with pull policy of Never";
            ctx.events().warning(pod, "ErrImageNeverPull", message);
            replacementFailed(t, r, "ErrImageNeverPull", message);
        } else if (present || imagePulls.error(pod, c).isPresent()) {
            r.fromRegistry = true;
            later(t, present ? ctx.options().imageResolveDelay() : ctx.options().imagePullDelay(),
                    () -> replacementPulled(t, r));
        } else {
            r.fromRegistry = true;
            String key = node + "\n" + r.image;
            if (!pulling.containsKey(key)) {
                pulling.put(key, new ArrayList<>());
                ctx.events().normal(pod, "Pulling", "Pulling image \"" + r.image + "\"");
                ctx.after(ctx.options().imagePullDelay(), () -> imagePulled(node, r.image, key));
            }
            pulling.get(key).add(() -> {
                if (tracks.get(t.uid) == t) {
                    replacementPulled(t, r);
                }
            });
        }
    }

    private void replacementPulled(Track t, Replacement r) {
        Optional<Pod> pod = current(t);
        if (pod.isEmpty() || t.replacing.get(r.container) != r) {
            return;
        }
        Optional<Container> c = pod.get().getSpec().getContainers().stream()
                .filter(x -> x.getName().equals(r.container)).findFirst();
        Optional<String> error = c.isPresent() && r.fromRegistry ? imagePulls.error(pod.get(), c.get())
                : Optional.empty();
        if (error.isPresent()) {
            ctx.events().warning(pod.get(), "Failed", "Failed to pull image \"" + r.image + "\": " + error.get());
            ctx.events().warning(pod.get(), "Failed", "Error: ErrImagePull");
            replacementFailed(t, r, "ErrImagePull", error.get());
            later(t, ctx.options().imagePullDelay(), () -> {
                if (t.replacing.get(r.container) == r) {
                    current(t).ifPresent(p -> ctx.events().warning(p, "BackOff", "Back-off pulling image \""
                            + r.image + "\""));
                    replacementFailed(t, r, "ImagePullBackOff", "Back-off pulling image \"" + r.image + "\"");
                }
            });
            return;
        }
        r.stage = ReplaceStage.STARTING;
        later(t, ctx.options().containerStartDelay(), () -> {
            if (t.replacing.get(r.container) != r) {
                return;
            }
            r.stage = ReplaceStage.STARTED;
            r.probePassed = c.isEmpty() || c.get().getReadinessProbe() == null;
            if (!r.probePassed) {
                Integer initial = c.get().getReadinessProbe().getInitialDelaySeconds();
                later(t, ctx.options().readinessDelay().plusSeconds(initial == null ? 0 : initial), () -> {
                    r.probePassed = true;
                    current(t).ifPresent(this::reconcile);
                });
            }
            current(t).ifPresent(this::reconcile);
        });
    }

    private void replacementFailed(Track t, Replacement r, String reason, String message) {
        r.stage = ReplaceStage.FAILED;
        r.waitingReason = reason;
        r.waitingMessage = message;
        current(t).ifPresent(this::reconcile);
    }

    /**
     * The status of a container under an in-place restart: the killed container terminated, then waiting with the
     * pull error if the new image fails, then the new container running (restart count + 1, the killed one in
     * {@code lastState}, the new image and image ID), ready once its readiness probe passes.
     */
    private boolean replacementStatus(ContainerStatus cs, Replacement r) {
        boolean changed = false;
        if (cs.getState() != null && cs.getState().getRunning() != null && !r.containerId.equals(cs.getContainerID())) {
            cs.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                    .withStartedAt(cs.getState().getRunning().getStartedAt()).withFinishedAt(now())
                    .withContainerID(cs.getContainerID()).endTerminated().build());
            changed = true;
        }
        if (r.stage == ReplaceStage.FAILED && (cs.getState() == null || cs.getState().getWaiting() == null
                || !r.waitingReason.equals(cs.getState().getWaiting().getReason()))) {
            if (cs.getState() != null && cs.getState().getTerminated() != null) {
                cs.setLastState(cs.getState());
            }
            cs.setState(waiting(r.waitingReason, r.waitingMessage));
            changed = true;
        }
        if (r.stage == ReplaceStage.STARTED && !r.containerId.equals(cs.getContainerID())) {
            if (cs.getState() != null && cs.getState().getTerminated() != null) {
                cs.setLastState(cs.getState());
            }
            cs.setState(new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build());
            cs.setContainerID(r.containerId);
            cs.setRestartCount((cs.getRestartCount() == null ? 0 : cs.getRestartCount()) + 1);
            cs.setImage(r.image);
            cs.setImageID(imageId(r.image));
            changed = true;
        }
        boolean started = r.stage == ReplaceStage.STARTED;
        boolean ready = started && r.probePassed;
        if (!Objects.equals(cs.getStarted(), started) || !Objects.equals(cs.getReady(), ready)) {
            cs.setStarted(started);
            cs.setReady(ready);
            changed = true;
        }
        return changed;
    }

    private String containerId(Track t, String container) {
        return "containerd://" + Long.toHexString(Objects.hash(t.uid, container)) + "-"
                + Long.toHexString(containers.incrementAndGet()) + "sim";
    }

    /**
     * A resolved image reference as containerd reports it in {@code imageID}: the image's repository digest, the same
     * name the node's {@code status.images} lists first ({@link NodeImages#repoDigest}).
     */
    static String imageId(String image) {
        return NodeImages.repoDigest(image);
    }

    private static boolean gatesPassed(Pod p) {
        if (p.getSpec().getReadinessGates() == null) {
            return true;
        }
        for (PodReadinessGate gate : p.getSpec().getReadinessGates()) {
            if (!PodStates.condition(p, gate.getConditionType())) {
                return false;
            }
        }
        return true;
    }

    private static String unreadyMessage(Pod p) {
        List<String> names = new ArrayList<>();
        for (Container c : p.getSpec().getContainers()) {
            names.add(c.getName());
        }
        return "containers with unready status: " + names;
    }

    /** Sets the managed conditions; others (e.g. readiness gate conditions set by users) are kept. */
    private boolean setConditions(Pod p, Map<String, String> wanted, String reason, String message) {
        PodStatus s = status(p);
        List<PodCondition> conditions = s.getConditions() == null ? new ArrayList<>() : new ArrayList<>(s.getConditions());
        boolean changed = false;
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                "PodScheduled")) {
            String value = wanted.get(type);
            if (value == null) {
                continue;
            }
            PodCondition c = conditions.stream().filter(x -> type.equals(x.getType())).findFirst().orElse(null);
            boolean notReadyType = type.equals("Ready") || type.equals("ContainersReady");
            String r = value.equals("False") && notReadyType ? reason : null;
            String m = value.equals("False") && notReadyType ? message : null;
            if (c == null) {
                conditions.add(new PodConditionBuilder().withType(type).withStatus(value).withReason(r).withMessage(m)
                        .withLastTransitionTime(now()).build());
                changed = true;
            } else if (!value.equals(c.getStatus()) || !Objects.equals(r, c.getReason())
                    || !Objects.equals(m, c.getMessage())) {
                if (!value.equals(c.getStatus())) {
                    c.setLastTransitionTime(now());
                }
                c.setStatus(value);
                c.setReason(r);
                c.setMessage(m);
                changed = true;
            }
        }
        s.setConditions(conditions);
        return changed;
    }

    /**
     * Writes the pod's status (pods/status, as the kubelet reports it) from the latest copy seen of it. A status that
     * would take a terminated container back to a non-terminated state its restart policy does not allow is not sent,
     * as the status manager aborts it ({@code checkContainerStateTransition} in pkg/kubelet/status/status_manager.go):
     * an image change restarts a container whatever the policy, but the API keeps showing it terminated.
     */
    private Optional<Pod> write(Pod pod, java.util.function.Predicate<Pod> change) {
        Optional<Pod> written = Writes.updateStatus(ctx.client(), latest(pod), p -> {
            if ("Always".equals(p.getSpec().getRestartPolicy()) || p.getStatus() == null
                    || p.getStatus().getContainerStatuses() == null) {
                return change.test(p); // the common case: no copy of the status to compare with
            }
            List<ContainerStatus> before = ctx.client().getKubernetesSerialization().clone(p).getStatus()
                    .getContainerStatuses();
            return change.test(p) && !leavesTerminated(p, before);
        });
        written.ifPresent(pods::put);
        return written;
    }

    private static boolean leavesTerminated(Pod p, List<ContainerStatus> before) {
        String policy = p.getSpec().getRestartPolicy();
        if ("Always".equals(policy) || p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return false;
        }
        for (ContainerStatus old : before) {
            if (old.getState() == null || old.getState().getTerminated() == null || restarts(p, old)) {
                continue;
            }
            for (ContainerStatus now : p.getStatus().getContainerStatuses()) {
                if (Objects.equals(old.getName(), now.getName())
                        && (now.getState() == null || now.getState().getTerminated() == null)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Pod latest(Pod pod) {
        return pods.get(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                .filter(p -> Objects.equals(p.getMetadata().getUid(), pod.getMetadata().getUid())).orElse(pod);
    }

    private static PodStatus status(Pod p) {
        if (p.getStatus() == null) {
            p.setStatus(new PodStatus());
        }
        return p.getStatus();
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private static boolean hasReadinessProbe(Pod pod) {
        return pod.getSpec().getContainers().stream().anyMatch(c -> c.getReadinessProbe() != null);
    }

    private static String internalIp(Node node) {
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if ("InternalIP".equals(a.getType())) {
                    return a.getAddress();
                }
            }
        }
        return null;
    }

    private String now() {
        return ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
