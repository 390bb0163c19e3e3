package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How steps that touch the same objects keep out of each other's way: every object a step manages names that step
 * ({@link #OWNER_STEP}); a step that adds a port to a Service another step owns records it ({@link #ADDED_PORTS}), so
 * the owner restores its own ports and keeps the added ones. Serving pods and the Services selecting them carry
 * {@link #TRAFFIC_LABEL}, which {@code repairNode} removes to take a pod out of its Services before evicting it.
 */
public final class SharedObjects {

    /** Annotation: the step that created and keeps the object ({@code stickyIpDeploy}, {@code exposeApp}). */
    public static final String OWNER_STEP = "kubeplatform.jenkins.io/owner-step";
    /** Service annotation: ports other steps added, {@code 80=exposeApp,443=exposeApp}. */
    public static final String ADDED_PORTS = "kubeplatform.jenkins.io/added-ports";
    /** The label a Service selects on and repairNode removes from a pod to deregister it (repair {@code trafficLabel}). */
    public static final String TRAFFIC_LABEL = "kubeplatform.jenkins.io/traffic";
    public static final String TRAFFIC_SERVING = "on";

    private SharedObjects() {
    }

    /** The step that owns the object, when it says. */
    public static Optional<String> ownerStep(ObjectMeta meta) {
        return meta == null || meta.getAnnotations() == null ? Optional.empty()
                : Optional.ofNullable(meta.getAnnotations().get(OWNER_STEP)).filter(s -> !s.isBlank());
    }

    /** Port number to the step that added it, from {@link #ADDED_PORTS}. */
    public static Map<Integer, String> addedPorts(ObjectMeta meta) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        String value = meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get(ADDED_PORTS);
        if (value == null) {
            return ports;
        }
        for (String item : value.split(",")) {
            String[] parts = item.trim().split("=", 2);
            try {
                ports.put(Integer.parseInt(parts[0].trim()), parts.length > 1 ? parts[1].trim() : "");
            } catch (NumberFormatException ignored) {
                // a hand-edited entry that names no port adds nothing
            }
        }
        return ports;
    }

    /** The annotation value for {@code ports}, in the order given. */
    public static String addedPortsValue(Map<Integer, String> ports) {
        return ports.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The live Service's ports that belong to its owner: all but the ones other steps added. */
    public static List<ServicePort> ownPorts(Service live) {
        Set<Integer> added = addedPorts(live.getMetadata()).keySet();
        return ports(live).stream().filter(p -> !added.contains(p.getPort())).toList();
    }

    public static List<ServicePort> ports(Service service) {
        return service.getSpec() == null || service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    }

    /** What identifies a Service port's behaviour, with the server's defaults filled in (protocol TCP, target = port). */
    public static String portKey(ServicePort p) {
        String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
        String target = p.getTargetPort() == null ? String.valueOf(p.getPort())
                : p.getTargetPort().getIntVal() != null ? String.valueOf(p.getTargetPort().getIntVal())
                : p.getTargetPort().getStrVal();
        return p.getName() + "|" + p.getPort() + "|" + protocol + "|" + target;
    }
}
