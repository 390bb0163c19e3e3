package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * What a user's template may not set because pinning owns it (SIP-12): each refusal names the field and says why,
 * before anything is reserved or applied.
 */
final class TemplateRules {

    /** Pod annotations through which a CNI takes a fixed address or pool; only the step writes the pin. */
    static final List<String> PIN_ANNOTATIONS = List.of(Cni.CALICO.annotation(), "cni.projectcalico.org/ipAddrsNoIpam",
            Cni.KUBE_OVN.annotation(), "ovn.kubernetes.io/ip_pool");

    private TemplateRules() {
    }

    static void check(WorkloadTemplate template, DeployRequest request, Cni cni) {
        String src = template.source();
        Deployment d = template.deployment();
        String ns = d.getMetadata() == null ? null : d.getMetadata().getNamespace();
        if (ns != null && !ns.isEmpty() && !ns.equals(request.namespace())) {
            throw new InvalidInputException(src + ".metadata.namespace", "is " + ns + " but the deploy targets namespace "
                    + request.namespace() + "; remove it or deploy to " + ns);
        }
        checkStrategy(src, d.getSpec().getStrategy());
        var podMeta = d.getSpec().getTemplate().getMetadata();
        Map<String, String> annotations = podMeta == null || podMeta.getAnnotations() == null ? Map.of()
                : podMeta.getAnnotations();
        for (String a : PIN_ANNOTATIONS) {
            if (annotations.containsKey(a)) {
                boolean other = !a.startsWith(cni == Cni.CALICO ? "cni.projectcalico.org/" : "ovn.kubernetes.io/");
                throw new InvalidInputException(src + ".spec.template.metadata.annotations[" + a + "]",
                        (other ? "is another CNI's address annotation (this pool's CNI is " + cni.configName() + ")"
                                : "pins an address, which stickyIpDeploy sets per identity from its ledger")
                        + "; remove it");
            }
        }
        checkLabels(src + ".spec.template.metadata.labels", podMeta == null ? null : podMeta.getLabels(), request);
        checkLabels(src + ".metadata.labels", d.getMetadata() == null ? null : d.getMetadata().getLabels(), request);
        PodSpec spec = d.getSpec().getTemplate().getSpec();
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            throw new InvalidInputException(src + ".spec.template.spec.hostNetwork", "is true: a host-network pod uses "
                    + "its node's address and has no pod IP to pin; remove it or use a plain Deployment");
        }
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            throw new InvalidInputException(src + ".spec.template.spec.nodeName", "binds every identity to node "
                    + spec.getNodeName() + " past the scheduler; use nodeSelector or affinity instead");
        }
        if (spec.getRestartPolicy() != null && !spec.getRestartPolicy().equals("Always")) {
            throw new InvalidInputException(src + ".spec.template.spec.restartPolicy", "is " + spec.getRestartPolicy()
                    + "; a Deployment's pods must restart Always");
        }
        List<Container> containers = spec.getContainers();
        boolean imageGiven = request.image() != null && !request.image().isBlank();
        if (imageGiven && template.target(request.name()).isEmpty()) {
            throw new InvalidInputException("image", "does not say which container to set: the template has containers "
                    + containers.stream().map(Container::getName).toList() + " and none is named " + request.name());
        }
        if (!request.env().isEmpty() && template.target(request.name()).isEmpty()) {
            throw new InvalidInputException("env", "does not say which container to set: the template has containers "
                    + containers.stream().map(Container::getName).toList() + " and none is named " + request.name());
        }
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            boolean set = imageGiven && template.target(request.name()).map(t -> t.getName().equals(c.getName())).orElse(false);
            if (!set && (c.getImage() == null || c.getImage().isBlank())) {
                throw new InvalidInputException(src + ".spec.template.spec.containers[" + i + "].image",
                        "is missing for container " + c.getName() + "; set it in the template or give image/build");
            }
        }
        if (request.port() == 0 && template.ports().isEmpty()) {
            throw new InvalidInputException("port", "is required when the template's containers declare no ports "
                    + "(the Service is derived from them)");
        }
    }

    private static void checkStrategy(String src, DeploymentStrategy strategy) {
        if (strategy == null || strategy.getType() == null || strategy.getType().equals("Recreate")) {
            if (strategy != null && strategy.getType() == null && strategy.getRollingUpdate() != null) {
                checkSurge(src, strategy.getRollingUpdate().getMaxSurge());
            }
            return;
        }
        if (!strategy.getType().equals("RollingUpdate")) {
            throw new InvalidInputException(src + ".spec.strategy.type", "is " + strategy.getType()
                    + "; must be Recreate or RollingUpdate");
        }
        checkSurge(src, strategy.getRollingUpdate() == null ? null : strategy.getRollingUpdate().getMaxSurge());
    }

    /** A surge starts the new pod while the old one still holds the address: the new pod would fail to get it. */
    private static void checkSurge(String src, IntOrString surge) {
        boolean zero = surge != null && (surge.getIntVal() != null ? surge.getIntVal() == 0
                : surge.getStrVal() != null && surge.getStrVal().trim().matches("0+%?"));
        if (!zero) {
            throw new InvalidInputException(src + ".spec.strategy.rollingUpdate.maxSurge", "is "
                    + (surge == null ? "unset (25% by default)" : surge.getIntVal() != null ? surge.getIntVal() : surge.getStrVal())
                    + ": a surge starts the new pod while the old one still holds the pinned address, so two pods "
                    + "would need one IP; remove the strategy (each identity is rolled with Recreate) or set maxSurge: 0");
        }
    }

    private static void checkLabels(String field, Map<String, String> labels, DeployRequest request) {
        if (labels == null) {
            return;
        }
        String name = labels.get(StickyIpLabels.NAME);
        if (name != null && !name.equals(request.name())) {
            throw new InvalidInputException(field + "[" + StickyIpLabels.NAME + "]", "is " + name
                    + " but the app is " + request.name() + "; the Service selects the identities by this label");
        }
        String manager = labels.get(StickyIpLabels.MANAGED_BY);
        if (manager != null && !manager.equals(StickyIpLabels.MANAGER)) {
            throw new InvalidInputException(field + "[" + StickyIpLabels.MANAGED_BY + "]", "is " + manager
                    + "; stickyIpDeploy sets it to " + StickyIpLabels.MANAGER);
        }
        if (labels.containsKey(StickyIpLabels.IDENTITY)) {
            throw new InvalidInputException(field + "[" + StickyIpLabels.IDENTITY + "]", "is set per identity by "
                    + "stickyIpDeploy; remove it");
        }
    }
}
