package io.jenkins.plugins.kubeplatform.engine.stickyip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders the desired objects (pure): one single-replica Deployment per identity with Recreate strategy (so the old
 * pod is gone before the new one asks for the same address) and the CNI's pin annotation on the pod template, and one
 * Service named like the app selecting all identities.
 */
final class WorkloadRenderer {

    private static final ObjectMapper CANONICAL = Json.mapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Where to steer a pod: a node, by its hostname label when it has one, else by name. */
    record Pin(String node, String hostname, boolean required) {
    }

    /**
     * A rendered workload with its hashes; {@code shapeHash} leaves the container images out ({@link
     * StickyIpLabels#SHAPE_HASH}).
     */
    record RenderedWorkload(Deployment deployment, String specHash, String templateHash, String shapeHash) {
    }

    private WorkloadRenderer() {
    }

    static RenderedWorkload deployment(DeployRequest request, IpPool pool, ReplicaIdentity identity, String ip,
                                       Optional<Pin> pin) {
        Map<String, String> labels = StickyIpLabels.forIdentity(identity);
        Map<String, String> selector = new TreeMap<>(Map.of(StickyIpLabels.NAME, identity.name(),
                StickyIpLabels.IDENTITY, identity.workloadName()));
        Map<String, String> podAnnotations = new TreeMap<>(pool.cni().pinAnnotations(ip));
        podAnnotations.put(StickyIpLabels.RESERVED_IP, ip);
        Deployment base = request.template().isPresent()
                ? fromTemplate(request, request.template().get(), pool, identity, ip, labels, selector, podAnnotations)
                : plain(request, pool, identity, ip, labels, selector, podAnnotations);
        // the Service selects on the traffic label; the workload's own selector does not, so a pod repairNode took
        // out of traffic stays the identity's pod until it is evicted
        Map<String, String> podLabels = new TreeMap<>(base.getSpec().getTemplate().getMetadata().getLabels());
        podLabels.put(SharedObjects.TRAFFIC_LABEL, SharedObjects.TRAFFIC_SERVING);
        base.getSpec().getTemplate().getMetadata().setLabels(podLabels);
        base.getMetadata().setAnnotations(new TreeMap<>(base.getMetadata().getAnnotations() == null ? Map.of()
                : base.getMetadata().getAnnotations()));
        base.getMetadata().getAnnotations().put(SharedObjects.OWNER_STEP, StickyIpLabels.STEP);
        request.pullCredentials().ifPresent(c -> {
            var podSpec = base.getSpec().getTemplate().getSpec();
            if (podSpec.getImagePullSecrets() == null || podSpec.getImagePullSecrets().isEmpty()) {
                podSpec.setImagePullSecrets(List.of(new LocalObjectReference(PullSecrets.name(c.registry()))));
            }
        });
        String specHash = hash(base);
        String pinned = pin.map(p -> p.node() + "|" + p.required()).orElse("-");
        String templateHash = hash(specHash + "|" + pinned);
        String shapeHash = hash(hash(withoutImages(base)) + "|" + pinned);
        Deployment desired = new DeploymentBuilder(base)
                .editMetadata().addToAnnotations(StickyIpLabels.SPEC_HASH, specHash)
                    .addToAnnotations(StickyIpLabels.TEMPLATE_HASH, templateHash)
                    .addToAnnotations(StickyIpLabels.SHAPE_HASH, shapeHash).endMetadata()
                .editSpec().editTemplate().editMetadata()
                    .addToAnnotations(StickyIpLabels.SPEC_HASH, specHash)
                    .addToAnnotations(StickyIpLabels.TEMPLATE_HASH, templateHash)
                    .addToAnnotations(StickyIpLabels.SHAPE_HASH, shapeHash)
                .endMetadata().endTemplate().endSpec()
                .build();
        pin.ifPresent(p -> {
            desired.getSpec().getTemplate().getMetadata().getAnnotations().put(StickyIpLabels.PINNED_NODE, p.node());
            var podSpec = desired.getSpec().getTemplate().getSpec();
            podSpec.setAffinity(withPin(podSpec.getAffinity(), p));
            desired.getMetadata().getAnnotations().put(StickyIpLabels.PINNED_NODE, p.node());
        });
        return new RenderedWorkload(desired, specHash, templateHash, shapeHash);
    }

    /**
     * A copy of {@code d} with the image of every container left out. Init containers keep theirs: a running pod does
     * not run its init containers again, so a new init image needs a new pod.
     */
    private static Deployment withoutImages(Deployment d) {
        Deployment copy = Json.mapper().convertValue(d, Deployment.class);
        copy.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.setImage(null));
        return copy;
    }

    /** The rendering without a template: one container running the image with the port and environment. */
    private static Deployment plain(DeployRequest request, IpPool pool, ReplicaIdentity identity, String ip,
                                    Map<String, String> labels, Map<String, String> selector,
                                    Map<String, String> podAnnotations) {
        List<EnvVar> env = new TreeMap<>(request.env()).entrySet().stream()
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(identity.workloadName())
                    .withNamespace(identity.namespace())
                    .withLabels(labels)
                    .withAnnotations(new TreeMap<>(Map.of(StickyIpLabels.RESERVED_IP, ip, StickyIpLabels.POOL, pool.name())))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(podAnnotations).endMetadata()
                        .withNewSpec()
                            .addNewContainer()
                                .withName(request.name())
                                .withImage(request.image())
                                .addNewPort().withName("app").withContainerPort(request.port()).withProtocol("TCP").endPort()
                                .withEnv(env)
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The rendering from the user's workload (SIP-12): a copy of it with only what pinning needs added (name, identity
     * labels, the pin annotation, one replica, Recreate) and the step's image and environment on the target container.
     */
    private static Deployment fromTemplate(DeployRequest request, WorkloadTemplate template, IpPool pool,
                                           ReplicaIdentity identity, String ip, Map<String, String> labels,
                                           Map<String, String> selector, Map<String, String> podAnnotations) {
        Deployment d = template.deployment();
        ObjectMeta meta = d.getMetadata() == null ? new ObjectMeta() : d.getMetadata();
        ObjectMeta clean = new ObjectMeta();
        clean.setName(identity.workloadName());
        clean.setNamespace(identity.namespace());
        clean.setLabels(merged(meta.getLabels(), labels));
        clean.setAnnotations(merged(meta.getAnnotations(),
                Map.of(StickyIpLabels.RESERVED_IP, ip, StickyIpLabels.POOL, pool.name())));
        d.setMetadata(clean);
        d.setStatus(null);
        var spec = d.getSpec();
        spec.setReplicas(1);
        spec.setPaused(null);
        spec.setStrategy(new DeploymentStrategyBuilder().withType("Recreate").build());
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
        ObjectMeta podMeta = spec.getTemplate().getMetadata() == null ? new ObjectMeta() : spec.getTemplate().getMetadata();
        ObjectMeta podClean = new ObjectMeta();
        podClean.setLabels(merged(podMeta.getLabels(), labels));
        podClean.setAnnotations(merged(podMeta.getAnnotations(), podAnnotations));
        spec.getTemplate().setMetadata(podClean);
        template.target(request.name()).map(Container::getName).ifPresent(targetName -> {
            for (Container c : spec.getTemplate().getSpec().getContainers()) {
                if (c.getName().equals(targetName)) {
                    if (!request.image().isBlank()) {
                        c.setImage(request.image());
                    }
                    c.setEnv(withEnv(c.getEnv(), request.env()));
                }
            }
        });
        return d;
    }

    private static Map<String, String> merged(Map<String, String> user, Map<String, String> ours) {
        Map<String, String> m = new TreeMap<>(user == null ? Map.of() : user);
        m.putAll(ours);
        return m;
    }

    /** The container's variables with the step's added or overriding those of the same name. */
    private static List<EnvVar> withEnv(List<EnvVar> existing, Map<String, String> env) {
        List<EnvVar> result = new ArrayList<>();
        for (EnvVar e : existing == null ? List.<EnvVar>of() : existing) {
            if (!env.containsKey(e.getName())) {
                result.add(e);
            }
        }
        new TreeMap<>(env).forEach((k, v) -> result.add(new EnvVar(k, v, null)));
        return result.isEmpty() && existing == null ? null : result;
    }

    /**
     * Adds the pin to the template's own affinity: a required pin is ANDed into each of the user's required terms
     * (terms are ORed, expressions within one term ANDed), a preferred pin is one more preferred term.
     */
    static Affinity withPin(Affinity existing, Pin pin) {
        Affinity affinity = existing == null ? new Affinity() : existing;
        NodeAffinity user = affinity.getNodeAffinity();
        if (user == null) {
            affinity.setNodeAffinity(nodeAffinity(pin));
            return affinity;
        }
        NodeSelectorTerm term = pinTerm(pin);
        if (pin.required()) {
            NodeSelector required = user.getRequiredDuringSchedulingIgnoredDuringExecution();
            if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
                user.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(List.of(term)));
            } else {
                List<NodeSelectorTerm> terms = new ArrayList<>();
                for (NodeSelectorTerm t : required.getNodeSelectorTerms()) {
                    List<NodeSelectorRequirement> exprs = new ArrayList<>(t.getMatchExpressions() == null ? List.of()
                            : t.getMatchExpressions());
                    List<NodeSelectorRequirement> fields = new ArrayList<>(t.getMatchFields() == null ? List.of()
                            : t.getMatchFields());
                    exprs.addAll(term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions());
                    fields.addAll(term.getMatchFields() == null ? List.of() : term.getMatchFields());
                    terms.add(new NodeSelectorTerm(exprs, fields));
                }
                required.setNodeSelectorTerms(terms);
            }
        } else {
            List<PreferredSchedulingTerm> preferred = new ArrayList<>(
                    user.getPreferredDuringSchedulingIgnoredDuringExecution() == null ? List.of()
                            : user.getPreferredDuringSchedulingIgnoredDuringExecution());
            preferred.add(new PreferredSchedulingTerm(term, 100));
            user.setPreferredDuringSchedulingIgnoredDuringExecution(preferred);
        }
        return affinity;
    }

    private static NodeSelectorTerm pinTerm(Pin pin) {
        return pin.hostname() != null
                ? new NodeSelectorTermBuilder().withMatchExpressions(
                        new NodeSelectorRequirement("kubernetes.io/hostname", "In", List.of(pin.hostname()))).build()
                : new NodeSelectorTermBuilder().withMatchFields(
                        new NodeSelectorRequirement("metadata.name", "In", List.of(pin.node()))).build();
    }

    private static NodeAffinity nodeAffinity(Pin pin) {
        NodeSelectorTerm term = pinTerm(pin);
        NodeAffinityBuilder affinity = new NodeAffinityBuilder();
        if (pin.required()) {
            affinity.withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution();
        } else {
            affinity.addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100).withPreference(term)
                    .endPreferredDuringSchedulingIgnoredDuringExecution();
        }
        return affinity.build();
    }

    static Service service(DeployRequest request) {
        List<ServicePort> ports = new ArrayList<>();
        if (request.port() > 0 || request.template().isEmpty()) {
            ports.add(new ServicePortBuilder().withName("app").withProtocol("TCP").withPort(request.port())
                    .withTargetPort(new IntOrString(request.port())).build());
        } else {
            // derived from the template's container ports: one Service port per distinct port and protocol
            Set<String> seen = new HashSet<>();
            for (ContainerPort p : request.template().get().ports()) {
                String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
                if (p.getContainerPort() != null && seen.add(p.getContainerPort() + "/" + protocol)) {
                    String name = p.getName() != null && !p.getName().isBlank() ? p.getName()
                            : protocol.toLowerCase(java.util.Locale.ROOT) + "-" + p.getContainerPort();
                    ports.add(new ServicePortBuilder().withName(name).withProtocol(protocol)
                            .withPort(p.getContainerPort()).withTargetPort(new IntOrString(p.getContainerPort())).build());
                }
            }
        }
        Service base = new ServiceBuilder()
                .withNewMetadata()
                    .withName(request.name())
                    .withNamespace(request.namespace())
                    .withLabels(StickyIpLabels.forApp(request.name()))
                    .addToAnnotations(SharedObjects.OWNER_STEP, StickyIpLabels.STEP)
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(StickyIpLabels.serviceSelector(request.name()))
                    .withPorts(ports)
                .endSpec()
                .build();
        String h = hash(base);
        return new ServiceBuilder(base).editMetadata().addToAnnotations(StickyIpLabels.SPEC_HASH, h).endMetadata().build();
    }

    static String hash(Object value) {
        try {
            byte[] bytes = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : CANONICAL.writeValueAsBytes(value);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash desired object", e);
        }
    }
}
