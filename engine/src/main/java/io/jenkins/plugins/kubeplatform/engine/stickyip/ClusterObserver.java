package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.image.ImageName;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LivePod;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveService;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveWorkload;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what the planner, GC and adoption decide on: one list per kind, turned into plain values. */
final class ClusterObserver {

    private final KubernetesClient client;
    private final ApiRetry retry;

    ClusterObserver(KubernetesClient client, ApiRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    Map<String, NodeState> nodes() {
        Map<String, NodeState> nodes = new HashMap<>();
        for (Node n : retry.call("list nodes", () -> client.nodes().list().getItems())) {
            nodes.put(n.getMetadata().getName(), nodeState(n));
        }
        return nodes;
    }

    static NodeState nodeState(Node n) {
        boolean ready = n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions()
                .stream().anyMatch((NodeCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean schedulable = n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        String hostname = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get("kubernetes.io/hostname");
        return new NodeState(n.getMetadata().getName(), ready, schedulable, hostname, images(n));
    }

    /** The names of {@code status.images}, normalised; a name containerd would not parse is left out. */
    static java.util.Set<String> images(Node n) {
        java.util.Set<String> names = new java.util.HashSet<>();
        if (n.getStatus() != null && n.getStatus().getImages() != null) {
            for (ContainerImage image : n.getStatus().getImages()) {
                if (image.getNames() != null) {
                    image.getNames().forEach(name -> ImageName.parse(name)
                            .ifPresent(r -> names.add(r.lookupName())));
                }
            }
        }
        return names;
    }

    /**
     * Every object of a CNI's custom resource type (IPPool, IPReservation, Subnet); empty when the type is not
     * installed or may not be read, so that the caller can say the check was skipped.
     */
    Optional<List<io.fabric8.kubernetes.api.model.GenericKubernetesResource>> customResources(
            io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext type) {
        try {
            return Optional.of(retry.call("list " + type.getPlural() + "." + type.getGroup(),
                    () -> client.genericKubernetesResources(type).list().getItems()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every pod of the cluster: any of them may hold an address of a pool. */
    List<Pod> allPods() {
        return retry.call("list pods in all namespaces", () -> client.pods().inAnyNamespace().list().getItems());
    }

    ClusterView appView(DeployRequest request, List<Pod> allPods, Map<String, NodeState> nodes) {
        String ns = request.namespace();
        // one list of the namespace: also finds a foreign Deployment whose name clashes with one of ours
        String prefix = request.name() + "-";
        Map<String, LiveWorkload> workloads = new HashMap<>();
        for (Deployment d : retry.call("list deployments in " + ns,
                () -> client.apps().deployments().inNamespace(ns).list().getItems())) {
            Map<String, String> labels = d.getMetadata().getLabels();
            boolean ours = labels != null && request.name().equals(labels.get(StickyIpLabels.NAME));
            String name = d.getMetadata().getName();
            boolean clashes = name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d{1,4}");
            if (ours || clashes) {
                workloads.put(name, liveWorkload(d));
            }
        }
        List<LivePod> pods = allPods.stream()
                .filter(p -> ns.equals(p.getMetadata().getNamespace()))
                .filter(p -> p.getMetadata().getLabels() != null
                        && request.name().equals(p.getMetadata().getLabels().get(StickyIpLabels.NAME))
                        && StickyIpLabels.isManaged(p.getMetadata().getLabels()))
                .map(ClusterObserver::livePod).toList();
        Optional<LiveService> service = service(ns, request.name()).map(s -> new LiveService(
                StickyIpLabels.isManaged(s.getMetadata().getLabels()),
                s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH),
                SharedObjects.ownerStep(s.getMetadata()),
                s.getSpec() == null || s.getSpec().getSelector() == null ? Map.of() : Map.copyOf(s.getSpec().getSelector()),
                SharedObjects.ownPorts(s).stream().map(SharedObjects::portKey).toList()));
        return new ClusterView(workloads, pods, service, nodes);
    }

    Optional<Service> service(String ns, String name) {
        try {
            return Optional.ofNullable(retry.call("get service " + ns + "/" + name,
                    () -> client.services().inNamespace(ns).withName(name).get()));
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static LiveWorkload liveWorkload(Deployment d) {
        Map<String, String> ann = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
        return new LiveWorkload(d.getMetadata().getName(), StickyIpLabels.isManaged(d.getMetadata().getLabels()),
                ann.get(StickyIpLabels.SPEC_HASH), ann.get(StickyIpLabels.TEMPLATE_HASH), ann.get(StickyIpLabels.PINNED_NODE),
                ann.get(StickyIpLabels.SHAPE_HASH), d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused()));
    }

    static LivePod livePod(Pod p) {
        Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        Map<String, String> ann = p.getMetadata().getAnnotations() == null ? Map.of() : p.getMetadata().getAnnotations();
        return new LivePod(p.getMetadata().getNamespace(), p.getMetadata().getName(), labels.get(StickyIpLabels.IDENTITY),
                podIps(p),
                p.getSpec() == null ? null : p.getSpec().getNodeName(),
                p.getStatus() == null ? null : p.getStatus().getPhase(),
                isReady(p), p.getMetadata().getDeletionTimestamp() != null, ann.get(StickyIpLabels.TEMPLATE_HASH),
                p.getMetadata().getOwnerReferences() == null ? null : p.getMetadata().getOwnerReferences().stream()
                        .filter(o -> Boolean.TRUE.equals(o.getController()) && "ReplicaSet".equals(o.getKind()))
                        .map(o -> o.getName()).findFirst().orElse(null));
    }

    /**
     * The pod's addresses as the planner compares them: {@code status.podIP}, or every {@code status.podIPs} entry
     * comma-separated (IPv4 first on an IPv4-primary dual-stack cluster) when the pod has more than one.
     */
    static String podIps(Pod p) {
        if (p.getStatus() == null) {
            return null;
        }
        if (p.getStatus().getPodIPs() != null && p.getStatus().getPodIPs().size() > 1) {
            return String.join(",", p.getStatus().getPodIPs().stream().map(a -> a.getIp()).toList());
        }
        return p.getStatus().getPodIP();
    }

    static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch((PodCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Pods that hold an address now: anything not finished, including Terminating pods. */
    static boolean holdsAddress(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        return ip != null && !ip.isBlank() && !"Succeeded".equals(phase) && !"Failed".equals(phase)
                && (p.getSpec() == null || !Boolean.TRUE.equals(p.getSpec().getHostNetwork()));
    }
}
