package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.Map;
import java.util.TreeMap;

/** Labels and annotations on everything {@code stickyIpDeploy} creates (SIP-4). */
public final class StickyIpLabels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "kubernetes-platform-steps";
    /** Label value {@code name-ordinal} (label values cannot hold the namespace's slash). */
    public static final String IDENTITY = "kubeplatform.jenkins.io/identity";
    /** Hash of everything in the workload except node pinning; equal hashes mean nothing to roll out. */
    public static final String SPEC_HASH = "kubeplatform.jenkins.io/spec-hash";
    /** Hash including node pinning; tells the pods of the current template apart from older ones. */
    public static final String TEMPLATE_HASH = "kubeplatform.jenkins.io/template-hash";
    /**
     * Hash of the template with every container image left out, and with node pinning: two templates with equal shape
     * hashes differ at most in images, which a running pod takes in place (its kubelet restarts the container).
     */
    public static final String SHAPE_HASH = "kubeplatform.jenkins.io/shape-hash";
    public static final String PINNED_NODE = "kubeplatform.jenkins.io/pinned-node";
    public static final String RESERVED_IP = "kubeplatform.jenkins.io/reserved-ip";
    public static final String POOL = "kubeplatform.jenkins.io/ip-pool";
    /** The step recorded in {@link io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects#OWNER_STEP}. */
    public static final String STEP = "stickyIpDeploy";

    private StickyIpLabels() {
    }

    /** The labels of the app's Service and of every workload of the identity. */
    static Map<String, String> forIdentity(ReplicaIdentity identity) {
        Map<String, String> labels = forApp(identity.name());
        labels.put(IDENTITY, identity.workloadName());
        return labels;
    }

    static Map<String, String> forApp(String name) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, name);
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** The app's Service selector: its pods while they carry the traffic label repairNode removes before evicting. */
    static Map<String, String> serviceSelector(String name) {
        Map<String, String> selector = forApp(name);
        selector.put(io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects.TRAFFIC_LABEL,
                io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects.TRAFFIC_SERVING);
        return selector;
    }

    static boolean isManaged(Map<String, String> labels) {
        return labels != null && MANAGER.equals(labels.get(MANAGED_BY));
    }
}
