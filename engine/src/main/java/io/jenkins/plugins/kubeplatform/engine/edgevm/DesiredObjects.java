package io.jenkins.plugins.kubeplatform.engine.edgevm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * EVM-2 and EVM-7: the desired VirtualMachine and its join Secret, pure functions of the inventory record and the
 * edge cluster. The join token goes into the Secret only; the VM references it through
 * {@code cloudInitNoCloud.userDataSecretRef}, so it never appears in the VM object, a log line or a result.
 */
public final class DesiredObjects {

    /** KubeVirt caps inline cloud-init user data; ours always lives in the Secret, and must stay well below 2 KB. */
    static final int MAX_USERDATA_BYTES = 2048;
    /** Paths written by cloud-init; {@code join.json} tells tools (and the simulated cluster) what the VM joins. */
    public static final String JOIN_SPEC_PATH = "/etc/kubeplatform/join.json";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9:._/+=-]{6,512}");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private DesiredObjects() {
    }

    public static String secretName(String vm) {
        return vm + "-join";
    }

    /** Labels on the VM, its Secret, and the node it registers: VM, tenant, edge cluster, site. */
    public static Map<String, String> labels(VmRecord r) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(KubeVirt.LABEL_MANAGED_BY, KubeVirt.MANAGED_BY);
        labels.put(KubeVirt.LABEL_VM, r.vm());
        labels.put(KubeVirt.LABEL_TENANT, r.tenant());
        labels.put(KubeVirt.LABEL_EDGE_CLUSTER, r.edgeCluster());
        labels.put(KubeVirt.LABEL_SITE, r.site());
        return labels;
    }

    /** The labels the node asks for when it joins (all but managed-by, which belongs to API objects). */
    static Map<String, String> nodeLabels(VmRecord r) {
        Map<String, String> labels = new LinkedHashMap<>(labels(r));
        labels.remove(KubeVirt.LABEL_MANAGED_BY);
        return labels;
    }

    public static GenericKubernetesResource virtualMachine(VmRecord r) {
        ImageSource image = ImageSource.parse("image", r.image());
        Map<String, Object> requests = new LinkedHashMap<>();
        requests.put("cpu", String.valueOf(r.cpu()));
        requests.put("memory", r.memoryMi() + "Mi");

        List<Object> disks = new ArrayList<>();
        List<Object> volumes = new ArrayList<>();
        disks.add(disk("rootdisk"));
        List<Object> dataVolumeTemplates = new ArrayList<>();
        if (image instanceof ImageSource.ContainerDisk cd) {
            volumes.add(Map.of("name", "rootdisk", "containerDisk", Map.of("image", cd.image())));
            // A containerDisk is as large as its image; the requested disk size becomes a data disk beside it.
            disks.add(disk("datadisk"));
            volumes.add(Map.of("name", "datadisk", "emptyDisk", Map.of("capacity", r.diskGi() + "Gi")));
        } else if (image instanceof ImageSource.DataVolumeHttp dv) {
            String dvName = r.vm() + "-root";
            volumes.add(Map.of("name", "rootdisk", "dataVolume", Map.of("name", dvName)));
            dataVolumeTemplates.add(Map.of(
                    "metadata", Map.of("name", dvName),
                    "spec", Map.of(
                            "source", Map.of("http", Map.of("url", dv.url())),
                            "storage", Map.of("resources", Map.of("requests", Map.of("storage", r.diskGi() + "Gi"))))));
        }
        disks.add(disk("cloudinitdisk"));
        volumes.add(Map.of("name", "cloudinitdisk", "cloudInitNoCloud",
                Map.of("userDataSecretRef", Map.of("name", secretName(r.vm())))));

        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("cpu", Map.of("cores", r.cpu()));
        domain.put("memory", Map.of("guest", r.memoryMi() + "Mi"));
        domain.put("resources", Map.of("requests", requests));
        domain.put("devices", Map.of("disks", disks,
                "interfaces", List.of(Map.of("name", "default", "masquerade", Map.of()))));

        Map<String, Object> templateSpec = new LinkedHashMap<>();
        templateSpec.put("domain", domain);
        templateSpec.put("networks", List.of(Map.of("name", "default", "pod", Map.of())));
        templateSpec.put("volumes", volumes);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("runStrategy", "Always");
        if (!dataVolumeTemplates.isEmpty()) {
            spec.put("dataVolumeTemplates", dataVolumeTemplates);
        }
        spec.put("template", Map.of("metadata", Map.of("labels", labels(r)), "spec", templateSpec));

        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion("kubevirt.io/v1");
        vm.setKind("VirtualMachine");
        vm.setMetadata(new ObjectMetaBuilder().withName(r.vm()).withNamespace(r.namespace()).withLabels(labels(r))
                .build());
        // Round-trip through JSON so the spec holds plain mutable maps, as a VM read from the server does.
        vm.setAdditionalProperty("spec", Json.mapper().convertValue(spec, Map.class));
        return vm;
    }

    /** The Secret with the cloud-init join script; the only place the join token is ever written. */
    public static Secret joinSecret(VmRecord r, EdgeSettings.EdgeCluster cluster, String token) {
        String userData = userData(r, cluster, token);
        return new SecretBuilder()
                .withNewMetadata().withName(secretName(r.vm())).withNamespace(r.namespace()).withLabels(labels(r))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(KubeVirt.USERDATA_KEY,
                        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    static String userData(VmRecord r, EdgeSettings.EdgeCluster cluster, String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            // Never echo the token: say only what is wrong with it.
            throw new InvalidInputException("edge cluster '" + cluster.name() + "' join token",
                    "must be 6-512 characters of letters, digits and :._/+=- (a k3s or kubeadm bootstrap token)");
        }
        JoinMethod method = cluster.method();
        Map<String, String> nodeLabels = nodeLabels(r);
        Map<String, Object> joinSpec = new LinkedHashMap<>();
        joinSpec.put("method", method.id());
        joinSpec.put("server", cluster.server());
        joinSpec.put("cluster", cluster.name());
        joinSpec.put("node", r.vm());
        joinSpec.put("labels", nodeLabels);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("hostname", r.vm());
        try {
            doc.put("write_files", List.of(
                    Map.of("path", JoinMethod.TOKEN_PATH, "permissions", "0600", "content", token),
                    Map.of("path", JOIN_SPEC_PATH, "permissions", "0644",
                            "content", Json.mapper().writeValueAsString(joinSpec))));
            doc.put("runcmd", List.of(method.command(cluster.server(), cluster.caCertHash(), r.vm(), nodeLabels,
                    cluster.name())));
            String text = "#cloud-config\n" + YAML.writeValueAsString(doc);
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_USERDATA_BYTES) {
                throw new InvalidInputException("edge cluster '" + cluster.name() + "'", "makes the cloud-init join "
                        + "script larger than " + MAX_USERDATA_BYTES + " bytes; shorten the server URL or names");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cloud-init document is not serializable", e);
        }
    }

    private static Map<String, Object> disk(String name) {
        return Map.of("name", name, "disk", Map.of("bus", "virtio"));
    }
}
