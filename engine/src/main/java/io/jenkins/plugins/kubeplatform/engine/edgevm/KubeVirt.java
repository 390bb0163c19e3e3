package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;

/** Names of the KubeVirt and OpenYurt API objects used here, and the labels this capability puts on objects. */
public final class KubeVirt {

    public static final ResourceDefinitionContext VIRTUAL_MACHINE = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    public static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCE = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachineInstance")
            .withPlural("virtualmachineinstances").withNamespaced(true).build();

    /** OpenYurt's node group, created for edge clusters joined with the openyurt method. */
    public static final ResourceDefinitionContext NODE_POOL = new ResourceDefinitionContext.Builder()
            .withGroup("apps.openyurt.io").withVersion("v1beta1").withKind("NodePool").withPlural("nodepools")
            .withNamespaced(false).build();

    public static final String PREFIX = "kubeplatform.jenkins.io/";
    public static final String LABEL_VM = PREFIX + "edge-vm";
    public static final String LABEL_TENANT = PREFIX + "tenant";
    public static final String LABEL_EDGE_CLUSTER = PREFIX + "edge-cluster";
    public static final String LABEL_SITE = PREFIX + "edge-site";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "kubernetes-platform-steps";

    /** The Secret key KubeVirt reads for {@code cloudInitNoCloud.userDataSecretRef}. */
    public static final String USERDATA_KEY = "userdata";

    private KubeVirt() {
    }

    /** {@code status.printableStatus} of a VirtualMachine, if set. */
    public static Optional<String> printableStatus(GenericKubernetesResource vm) {
        return nested(vm, "status", "printableStatus");
    }

    /** The first IP address in a VirtualMachineInstance's {@code status.interfaces}. */
    @SuppressWarnings("unchecked")
    public static Optional<String> address(GenericKubernetesResource vmi) {
        Object status = vmi == null ? null : vmi.getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> s && s.get("interfaces") instanceof java.util.List<?> list && !list.isEmpty()
                && list.get(0) instanceof Map<?, ?> first && first.get("ipAddress") instanceof String ip) {
            return Optional.of(ip);
        }
        return Optional.empty();
    }

    static Optional<String> nested(GenericKubernetesResource r, String... path) {
        Object current = r == null ? null : r.getAdditionalProperties();
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            current = map.get(key);
        }
        return current instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
