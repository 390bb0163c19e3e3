package io.jenkins.plugins.kubeplatform.stickyip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.kubeplatform.store.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** A rendered workload with its hashes. */
    record RenderedWorkload(Deployment deployment, String specHash, String templateHash) {
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
        List<EnvVar> env = new TreeMap<>(request.env()).entrySet().stream()
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
        Deployment base = new DeploymentBuilder()
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
        String specHash = hash(base);
        String templateHash = hash(specHash + "|" + pin.map(p -> p.node() + "|" + p.required()).orElse("-"));
        Deployment desired = new DeploymentBuilder(base)
                .editMetadata().addToAnnotations(StickyIpLabels.SPEC_HASH, specHash)
                    .addToAnnotations(StickyIpLabels.TEMPLATE_HASH, templateHash).endMetadata()
                .editSpec().editTemplate().editMetadata()
                    .addToAnnotations(StickyIpLabels.SPEC_HASH, specHash)
                    .addToAnnotations(StickyIpLabels.TEMPLATE_HASH, templateHash)
                .endMetadata().endTemplate().endSpec()
                .build();
        pin.ifPresent(p -> {
            desired.getSpec().getTemplate().getMetadata().getAnnotations().put(StickyIpLabels.PINNED_NODE, p.node());
            desired.getSpec().getTemplate().getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                    .withNodeAffinity(nodeAffinity(p)).build());
            desired.getMetadata().getAnnotations().put(StickyIpLabels.PINNED_NODE, p.node());
        });
        return new RenderedWorkload(desired, specHash, templateHash);
    }

    private static NodeAffinity nodeAffinity(Pin pin) {
        NodeSelectorTerm term = pin.hostname() != null
                ? new NodeSelectorTermBuilder().withMatchExpressions(
                        new NodeSelectorRequirement("kubernetes.io/hostname", "In", List.of(pin.hostname()))).build()
                : new NodeSelectorTermBuilder().withMatchFields(
                        new NodeSelectorRequirement("metadata.name", "In", List.of(pin.node()))).build();
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
        Service base = new ServiceBuilder()
                .withNewMetadata()
                    .withName(request.name())
                    .withNamespace(request.namespace())
                    .withLabels(StickyIpLabels.forApp(request.name()))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(StickyIpLabels.forApp(request.name()))
                    .addNewPort().withName("app").withProtocol("TCP").withPort(request.port())
                        .withTargetPort(new IntOrString(request.port())).endPort()
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
