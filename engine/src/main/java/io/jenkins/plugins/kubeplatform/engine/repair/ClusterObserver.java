package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.PodsOnNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads what the planner needs from the cluster: the node, its pods, the Services selecting them, the pool's leases. */
public final class ClusterObserver {

    public static final String LEASE_NODE_ANNOTATION = "kubeplatform.jenkins.io/node";
    public static final String LEASE_POOL_LABEL = "kubeplatform.jenkins.io/repair-pool";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final RepairSettings settings;
    private final PodClassifier classifier;

    public ClusterObserver(KubernetesClient client, ApiRetry retry, RepairSettings settings) {
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.classifier = new PodClassifier(settings);
    }

    /** The node, or an input error naming it when it does not exist. */
    public NodeView node(String name) {
        Node node = retry.call("read node " + name, () -> client.nodes().withName(name).get());
        if (node == null) {
            throw new InvalidInputException("node", "no node named '" + name + "' exists in the cluster");
        }
        return view(node);
    }

    public List<NodeView> nodes() {
        return retry.call("list nodes", () -> client.nodes().list().getItems()).stream().map(ClusterObserver::view).toList();
    }

    public static NodeView view(Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations() == null ? Map.of()
                : node.getMetadata().getAnnotations();
        String raw = annotations.get(MaintenanceRecord.ANNOTATION);
        Optional<MaintenanceRecord> record = raw == null ? Optional.empty() : MaintenanceRecord.parse(raw);
        Optional<String> error = raw != null && record.isEmpty()
                ? Optional.of("not a maintenance record: '" + abbreviate(raw) + "'") : Optional.empty();
        List<String> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().map(t -> t.getKey()).toList();
        List<NodeView.Condition> conditions = new ArrayList<>();
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition c : node.getStatus().getConditions()) {
                conditions.add(new NodeView.Condition(c.getType(), String.valueOf(c.getStatus()),
                        instant(c.getLastTransitionTime()), c.getReason() == null ? "" : c.getReason()));
            }
        }
        return new NodeView(node.getMetadata().getName(), node.getMetadata().getResourceVersion(),
                node.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(node.getMetadata().getLabels()),
                node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()), taints,
                List.copyOf(conditions), record, error);
    }

    public List<PodView> pods(String node) {
        return podsOnNode(node).stream().map(classifier::view).toList();
    }

    public List<Pod> podsOnNode(String node) {
        return PodsOnNode.list(client, retry, node);
    }

    /** The Services that select the node's serving pods (as they were before deregistration). */
    public List<ServiceView> services(String node, List<Pod> pods) {
        Map<String, List<Pod>> servingByNamespace = new LinkedHashMap<>();
        for (Pod pod : pods) {
            PodView v = classifier.view(pod);
            if (v.role() == PodRole.SERVING && v.active()) {
                servingByNamespace.computeIfAbsent(v.namespace(), k -> new ArrayList<>()).add(pod);
            }
        }
        List<ServiceView> views = new ArrayList<>();
        for (var entry : servingByNamespace.entrySet()) {
            String ns = entry.getKey();
            List<Service> services = retry.call("list services in " + ns,
                    () -> client.services().inNamespace(ns).list().getItems());
            Set<String> deregistered = entry.getValue().stream()
                    .filter(p -> !p.getMetadata().getLabels().containsKey(settings.trafficLabel()))
                    .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            Set<String> onNode = pods.stream().filter(p -> ns.equals(p.getMetadata().getNamespace()))
                    .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            for (Service svc : services) {
                Map<String, String> selector = svc.getSpec() == null ? null : svc.getSpec().getSelector();
                if (selector == null || selector.isEmpty()
                        || entry.getValue().stream().noneMatch(p -> selects(selector, originalLabels(p)))) {
                    continue;
                }
                views.add(endpointsOf(ns, svc.getMetadata().getName(), node, deregistered, onNode));
            }
        }
        return views;
    }

    private ServiceView endpointsOf(String ns, String service, String node, Set<String> deregistered, Set<String> onNode) {
        List<EndpointSlice> slices = retry.call("list endpoint slices of " + ns + "/" + service,
                () -> client.discovery().v1().endpointSlices().inNamespace(ns)
                        .withLabel(SERVICE_NAME_LABEL, service).list().getItems());
        boolean listsDeregistered = false;
        boolean readyElsewhere = false;
        if (!slices.isEmpty()) {
            for (EndpointSlice slice : slices) {
                for (var ep : slice.getEndpoints() == null ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of()
                        : slice.getEndpoints()) {
                    String pod = ep.getTargetRef() == null ? null : ep.getTargetRef().getName();
                    boolean ready = ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
                    if (pod != null && deregistered.contains(pod) && ready) {
                        listsDeregistered = true;
                    }
                    if (ready && (pod == null || !onNode.contains(pod)) && !node.equals(ep.getNodeName())) {
                        readyElsewhere = true;
                    }
                }
            }
            return new ServiceView(ns + "/" + service, listsDeregistered, readyElsewhere);
        }
        Endpoints endpoints = retry.call("read endpoints of " + ns + "/" + service,
                () -> client.endpoints().inNamespace(ns).withName(service).get());
        if (endpoints != null && endpoints.getSubsets() != null) {
            for (var subset : endpoints.getSubsets()) {
                for (var address : subset.getAddresses() == null ? List.<io.fabric8.kubernetes.api.model.EndpointAddress>of()
                        : subset.getAddresses()) {
                    String pod = address.getTargetRef() == null ? null : address.getTargetRef().getName();
                    if (pod != null && deregistered.contains(pod)) {
                        listsDeregistered = true;
                    }
                    if ((pod == null || !onNode.contains(pod)) && !node.equals(address.getNodeName())) {
                        readyElsewhere = true;
                    }
                }
            }
        }
        return new ServiceView(ns + "/" + service, listsDeregistered, readyElsewhere);
    }

    /** The pod's labels with the traffic label put back, so Services that selected it before still count. */
    private Map<String, String> originalLabels(Pod pod) {
        Map<String, String> labels = new HashMap<>(pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels());
        var annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(PodView.DEREGISTERED_ANNOTATION)) {
            labels.putIfAbsent(settings.trafficLabel(), annotations.get(PodView.DEREGISTERED_ANNOTATION));
        }
        return labels;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The leases of a pool (slots beyond the capacity are ignored). */
    public PoolLeases leases(PoolSettings pool) {
        List<Lease> leases = retry.call("list repair leases in " + settings.leaseNamespace(),
                () -> client.leases().inNamespace(settings.leaseNamespace()).withLabel(LEASE_POOL_LABEL, pool.name())
                        .list().getItems());
        List<PoolLeases.Slot> slots = new ArrayList<>();
        for (Lease lease : leases) {
            slots.add(slot(lease));
        }
        return new PoolLeases(pool.name(), pool.maxConcurrent(), List.copyOf(slots));
    }

    static PoolLeases.Slot slot(Lease lease) {
        var spec = lease.getSpec();
        Map<String, String> annotations = lease.getMetadata().getAnnotations() == null ? Map.of()
                : lease.getMetadata().getAnnotations();
        Instant renewed = spec == null || spec.getRenewTime() == null ? null : spec.getRenewTime().toInstant();
        Duration duration = Duration.ofSeconds(spec == null || spec.getLeaseDurationSeconds() == null ? 0
                : spec.getLeaseDurationSeconds());
        return new PoolLeases.Slot(lease.getMetadata().getName(), spec == null ? null : spec.getHolderIdentity(),
                annotations.getOrDefault(LEASE_NODE_ANNOTATION, ""), renewed, duration,
                lease.getMetadata().getResourceVersion());
    }

    static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
