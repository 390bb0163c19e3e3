package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredObjectsTest {

    private final EdgeSettings settings = EdgeFixtures.settings();
    private final VmRecord record = EdgeFixtures.record("demo", "web", "paris", "edge-par", 2, 4096,
            VmState.PROVISIONING);

    @Test
    void rendersAKubeVirtVirtualMachineThatAlwaysRuns() throws Exception {
        GenericKubernetesResource vm = DesiredObjects.virtualMachine(record);
        var spec = Json.mapper().valueToTree(vm).path("spec");

        assertThat(vm.getApiVersion()).isEqualTo("kubevirt.io/v1");
        assertThat(vm.getKind()).isEqualTo("VirtualMachine");
        assertThat(spec.path("runStrategy").asText()).isEqualTo("Always");
        var domain = spec.path("template").path("spec").path("domain");
        assertThat(domain.path("cpu").path("cores").asInt()).isEqualTo(2);
        assertThat(domain.path("memory").path("guest").asText()).isEqualTo("4096Mi");
        assertThat(domain.path("resources").path("requests").path("memory").asText()).isEqualTo("4096Mi");
        assertThat(domain.path("resources").path("requests").path("cpu").asText()).isEqualTo("2");
        var volumes = spec.path("template").path("spec").path("volumes");
        assertThat(volumes.get(0).path("containerDisk").path("image").asText())
                .isEqualTo("quay.io/containerdisks/ubuntu:22.04");
        assertThat(volumes.get(1).path("emptyDisk").path("capacity").asText()).isEqualTo("10Gi");
        assertThat(volumes.get(2).path("cloudInitNoCloud").path("userDataSecretRef").path("name").asText())
                .isEqualTo("demo-web-join");
        assertThat(volumes.get(2).path("cloudInitNoCloud").has("userData")).isFalse();
        assertThat(vm.getMetadata().getLabels()).containsEntry("kubeplatform.jenkins.io/tenant", "demo")
                .containsEntry("kubeplatform.jenkins.io/edge-cluster", "edge-par");
    }

    @Test
    void usesADataVolumeForHttpImages() {
        VmRecord dv = VmRecord.builder().vm("demo-db").name("db").tenant("demo").site("paris").namespace("edge-paris")
                .edgeCluster("edge-par").cpu(1).memoryMi(1024).diskGi(20)
                .image("https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-amd64.img")
                .state(VmState.PROVISIONING).start(EdgeFixtures.T0).build();
        var spec = Json.mapper().valueToTree(DesiredObjects.virtualMachine(dv)).path("spec");

        assertThat(spec.path("dataVolumeTemplates").get(0).path("spec").path("source").path("http").path("url").asText())
                .startsWith("https://cloud-images.ubuntu.com/");
        assertThat(spec.path("dataVolumeTemplates").get(0).path("spec").path("storage").path("resources")
                .path("requests").path("storage").asText()).isEqualTo("20Gi");
        assertThat(spec.path("template").path("spec").path("volumes").get(0).path("dataVolume").path("name").asText())
                .isEqualTo("demo-db-root");
    }

    @Test
    void keepsTheTokenInTheSecretOnly() throws Exception {
        EdgeSettings.EdgeCluster cluster = settings.edgeCluster("edge-par").orElseThrow();
        Secret secret = DesiredObjects.joinSecret(record, cluster, TOKEN);
        String userData = new String(Base64.getDecoder().decode(secret.getData().get("userdata")), StandardCharsets.UTF_8);

        var cloudConfig = new YAMLMapper().readTree(userData);
        String runcmd = cloudConfig.path("runcmd").get(0).asText();

        assertThat(userData).startsWith("#cloud-config\n");
        assertThat(cloudConfig.path("write_files").get(0).path("content").asText()).isEqualTo(TOKEN);
        assertThat(cloudConfig.path("write_files").get(0).path("permissions").asText()).isEqualTo("0600");
        assertThat(runcmd).contains("kubeadm join edge-par.example.net:6443 --token \"$(cat /etc/kubeplatform/join-token)\"")
                .contains("kubeplatform.jenkins.io/edge-vm=demo-web");
        // The run command reads the token from a file, so it never shows in a process list or a cloud-init log.
        assertThat(runcmd).doesNotContain(TOKEN);
        assertThat(userData.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
        assertThat(Json.mapper().writeValueAsString(DesiredObjects.virtualMachine(record))).doesNotContain(TOKEN);
    }

    @Test
    void rendersEachJoinMethod() {
        Map<String, String> labels = Map.of("kubeplatform.jenkins.io/tenant", "demo");
        assertThat(JoinMethod.K3S.command("https://a:6443", null, "n1", labels, "p"))
                .contains("K3S_URL=https://a:6443 K3S_TOKEN_FILE=/etc/kubeplatform/join-token sh -s - agent")
                .contains("--node-label kubeplatform.jenkins.io/tenant=demo");
        assertThat(JoinMethod.OPENYURT.command("https://a:6443", "sha256:00", "n1", labels, "pool-1"))
                .startsWith("yurtadm join a:6443").contains("--node-type=edge").contains("--nodepool-name pool-1");
    }

    @Test
    void refusesATokenThatCouldBreakTheScriptWithoutEchoingIt() {
        EdgeSettings.EdgeCluster cluster = settings.edgeCluster("edge-fra").orElseThrow();

        assertThatThrownBy(() -> DesiredObjects.joinSecret(record, cluster, "abc def\n$(reboot)"))
                .isInstanceOf(InvalidInputException.class).hasMessageNotContaining("reboot");
    }
}
