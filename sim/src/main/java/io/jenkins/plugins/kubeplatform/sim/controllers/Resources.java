package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Resource requests of pods and allocatable resources of nodes, as the scheduler's fit check counts them. */
public final class Resources {

    private Resources() {
    }

    /** cpu (cores) and memory (bytes) a pod requests: the sum over containers, at least any init container's. */
    public static BigDecimal[] requests(Pod pod) {
        BigDecimal cpu = BigDecimal.ZERO;
        BigDecimal mem = BigDecimal.ZERO;
        for (Container c : list(pod.getSpec().getContainers())) {
            cpu = cpu.add(request(c, "cpu"));
            mem = mem.add(request(c, "memory"));
        }
        for (Container c : list(pod.getSpec().getInitContainers())) {
            cpu = cpu.max(request(c, "cpu"));
            mem = mem.max(request(c, "memory"));
        }
        return new BigDecimal[] {cpu, mem};
    }

    private static BigDecimal request(Container c, String resource) {
        if (c.getResources() == null) {
            return BigDecimal.ZERO;
        }
        Quantity q = get(c.getResources().getRequests(), resource);
        if (q == null) {
            // The API server defaults a missing request to the limit.
            q = get(c.getResources().getLimits(), resource);
        }
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static Quantity get(Map<String, Quantity> map, String key) {
        return map == null ? null : map.get(key);
    }

    public static BigDecimal allocatable(Node node, String resource) {
        Quantity q = node.getStatus() == null ? null : get(node.getStatus().getAllocatable(), resource);
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
