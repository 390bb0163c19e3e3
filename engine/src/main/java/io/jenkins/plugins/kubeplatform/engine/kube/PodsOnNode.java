package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;

/** Pod queries and classifications shared by drain, repair and edge-VM teardown. */
public final class PodsOnNode {

    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private PodsOnNode() {
    }

    /** Pods bound to {@code node}, selected by the API server ({@code fieldSelector=spec.nodeName=<node>}). */
    public static List<Pod> list(KubernetesClient client, ApiRetry retry, String node) {
        return retry.call("list pods on node " + node,
                () -> client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems());
    }

    public static boolean isDaemonSetPod(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
    }

    /** Static pods shown by the kubelet; the API cannot delete them. */
    public static boolean isMirrorPod(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(MIRROR_ANNOTATION);
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    public static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return Objects.equals(phase, "Succeeded") || Objects.equals(phase, "Failed");
    }

    public static String ref(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
