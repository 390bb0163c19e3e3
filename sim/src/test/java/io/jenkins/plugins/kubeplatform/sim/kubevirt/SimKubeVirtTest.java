package io.jenkins.plugins.kubeplatform.sim.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimKubeVirtTest {

    static SimKubeVirt kubevirt;

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(100).build());
    static final KubernetesClient client = sim.client();

    @BeforeAll
    static void start() {
        kubevirt = sim.controller(SimKubeVirt.class).orElseThrow();
    }

    static GenericKubernetesResource vm(String name, Map<String, String> annotations) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion("kubevirt.io/v1");
        vm.setKind("VirtualMachine");
        vm.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("edge-paris").withAnnotations(annotations)
                .build());
        vm.setAdditionalProperty("spec", Map.of("runStrategy", "Always", "template", Map.of(
                "metadata", Map.of("labels", Map.of("app", name)),
                "spec", Map.of("domain", Map.of("cpu", Map.of("cores", 2), "memory", Map.of("guest", "2Gi")),
                        "volumes", List.of(Map.of("name", "cloudinitdisk", "cloudInitNoCloud",
                                Map.of("userDataSecretRef", Map.of("name", name + "-join"))))))));
        return vm;
    }

    static void joinSecret(String name) {
        String userData = """
                #cloud-config
                write_files:
                - path: /etc/kubeplatform/join-token
                  content: tok-123456
                - path: /etc/kubeplatform/join.json
                  content: '{"method":"k3s","server":"https://edge.example:6443","cluster":"edge-par","node":"%s","labels":{"kubeplatform.jenkins.io/edge-vm":"%s","kubeplatform.jenkins.io/tenant":"demo"}}'
                runcmd: ["true"]
                """.formatted(name, name);
        client.secrets().inNamespace("edge-paris").resource(new SecretBuilder().withNewMetadata().withName(name + "-join")
                .endMetadata().withData(Map.of("userdata", Base64.getEncoder()
                        .encodeToString(userData.getBytes(StandardCharsets.UTF_8)))).build()).create();
    }

    /** A watch re-armed every second (and a fresh read in between), for at most 30 s. */
    static <T> T await(io.fabric8.kubernetes.client.dsl.Resource<T> resource, Predicate<T> condition) {
        java.util.concurrent.atomic.AtomicReference<T> seen = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofMillis(1)).until(() -> {
                    try {
                        seen.set(resource.waitUntilCondition(condition, 1, TimeUnit.SECONDS));
                        return true;
                    } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException e) {
                        T now = resource.get();
                        seen.set(now);
                        return condition.test(now);
                    }
                });
        return seen.get();
    }

    static GenericKubernetesResource waitForVm(String name, Predicate<String> printableStatus) {
        return await(client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris")
                .withName(name), vm -> vm != null && vm.getAdditionalProperties().get("status")
                        instanceof Map<?, ?> s && printableStatus.test((String) s.get("printableStatus")));
    }

    static Node waitForReadyNode(String name) {
        return await(client.nodes().withName(name), n -> n != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    }

    @Test
    void bootsAVmAndItsJoinRequestRegistersAReadyNodeWithTheLabels() {
        joinSecret("vm-a");
        client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris")
                .resource(vm("vm-a", Map.of())).create();

        waitForVm("vm-a", "Running"::equals);
        Node node = waitForReadyNode("vm-a");

        assertThat(node.getMetadata().getLabels()).containsEntry("kubeplatform.jenkins.io/edge-vm", "vm-a")
                .containsEntry("kubeplatform.jenkins.io/tenant", "demo");
        assertThat(node.getStatus().getCapacity().get("cpu").toString()).isEqualTo("2");
        GenericKubernetesResource vmi = client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE_INSTANCE.context())
                .inNamespace("edge-paris").withName("vm-a").get();
        assertThat(vmi.getAdditionalProperties().get("status").toString()).contains("phase=Running", "ipAddress=10.201.");
    }

    @Test
    void aVmAnnotatedToFailStaysStartingAndNeverJoins() {
        joinSecret("vm-b");
        client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris")
                .resource(vm("vm-b", Map.of(VmFailure.ANNOTATION, "crash-loop"))).create();

        waitForVm("vm-b", "CrashLoopBackOff"::equals);

        assertThat(client.nodes().withName("vm-b").get()).isNull();
    }

    @Test
    void aRestartBootsAgainAndRejoins() {
        joinSecret("vm-c");
        var vms = client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris");
        vms.resource(vm("vm-c", Map.of())).create();
        String firstBoot = waitForReadyNode("vm-c").getStatus().getNodeInfo().getBootID();

        client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE_INSTANCE.context()).inNamespace("edge-paris")
                .withName("vm-c").delete();

        Node rejoined = await(client.nodes().withName("vm-c"), n -> n != null
                && !Objects.equals(n.getStatus().getNodeInfo().getBootID(), firstBoot)
                && n.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                && c.getStatus().equals("True")));
        assertThat(rejoined).isNotNull();
    }

    /** Waits until the VMI of {@code name} has booted and failed: phase Scheduled is set only by a failed boot. */
    static void waitForFailedBoot(String name) {
        await(client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE_INSTANCE.context()).inNamespace("edge-paris")
                .withName(name), vmi -> vmi != null && vmi.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                && "Scheduled".equals(s.get("phase")));
    }

    static void recreate(String name) {
        var vms = client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris");
        vms.withName(name).delete();
        await(client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE_INSTANCE.context())
                .inNamespace("edge-paris").withName(name), Objects::isNull);
        await(vms.withName(name), Objects::isNull);
        vms.resource(vm(name, Map.of())).create();
    }

    @Test
    void injectedFailuresSurviveRecreationForTheGivenNumberOfBoots() {
        joinSecret("vm-d");
        kubevirt.fail("edge-paris", "vm-d", VmFailure.STUCK_STARTING, 2);
        var vms = client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris");
        vms.resource(vm("vm-d", Map.of())).create();
        waitForFailedBoot("vm-d");
        waitForVm("vm-d", "Starting"::equals);
        assertThat(kubevirt.boots("edge-paris", "vm-d")).isEqualTo(1);

        // deleting and recreating the VM does not clear the failure: the second boot fails too
        recreate("vm-d");
        waitForFailedBoot("vm-d");
        assertThat(kubevirt.boots("edge-paris", "vm-d")).isEqualTo(2);
        assertThat(waitForVm("vm-d", "Starting"::equals)).isNotNull();

        // the third boot is past the two injected ones
        recreate("vm-d");
        waitForVm("vm-d", "Running"::equals);
        assertThat(waitForReadyNode("vm-d")).isNotNull();
        assertThat(kubevirt.boots("edge-paris", "vm-d")).isEqualTo(3);
    }

    /**
     * A VM the controller no longer writes: halted (reported Stopped), then deleted while a finalizer holds it (the
     * controller leaves a VM being deleted alone), so only the test's calls write its status.
     */
    private static void vmLeftAlone(String name) {
        GenericKubernetesResource vm = vm(name, Map.of());
        vm.getMetadata().setFinalizers(List.of("example.com/hold"));
        vm.setAdditionalProperty("spec", Map.of("runStrategy", "Halted"));
        var vms = client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris");
        vms.resource(vm).create();
        waitForVm(name, "Stopped"::equals);
        vms.withName(name).delete();
    }

    private static void release(String name) {
        client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris")
                .withName(name).edit(vm -> {
                    vm.getMetadata().setFinalizers(List.of());
                    return vm;
                });
    }

    private static Object printableStatus(String name) {
        GenericKubernetesResource vm = client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context())
                .inNamespace("edge-paris").withName(name).get();
        return ((Map<?, ?>) vm.getAdditionalProperties().get("status")).get("printableStatus");
    }

    /** Before each of the controller's next {@code n} status writes of the VM, another client changes the VM. */
    private static void concurrentWriter(String name, int n) {
        String vmPath = "/apis/kubevirt.io/v1/namespaces/edge-paris/virtualmachines/" + name;
        for (int i = 0; i < n; i++) {
            sim.faults().interleave("PUT", vmPath + "/status$", new io.jenkins.plugins.kubeplatform.sim.Faults.ApiCall(
                    "PATCH", vmPath, "application/merge-patch+json",
                    "{\"metadata\":{\"annotations\":{\"example.com/writer\":\"" + i + "\"}}}"));
        }
    }

    @Test
    void aVmStatusWriteThatMeetsAConflictRereadsAndKeepsTheOtherWritersChange() {
        vmLeftAlone("vm-e");
        concurrentWriter("vm-e", 1);

        assertThat(kubevirt.setVmStatus("edge-paris", "vm-e", "Starting", false)).isTrue();

        assertThat(sim.faults().pendingInterleaves()).isZero();
        assertThat(printableStatus("vm-e")).isEqualTo("Starting");
        assertThat(client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris")
                .withName("vm-e").get().getMetadata().getAnnotations()).containsEntry("example.com/writer", "0");
        release("vm-e");
    }

    @Test
    void aVmStatusWriteGivesUpAfterEightConflictsInARow() {
        vmLeftAlone("vm-f");
        concurrentWriter("vm-f", 20);

        assertThat(kubevirt.setVmStatus("edge-paris", "vm-f", "Starting", false)).isFalse();
        assertThat(sim.faults().pendingInterleaves()).isEqualTo(20 - 8);
        assertThat(printableStatus("vm-f")).isEqualTo("Stopped");

        // a later write starts a new run of attempts: 8 more conflicts, then 4 and a write that lands
        assertThat(kubevirt.setVmStatus("edge-paris", "vm-f", "Starting", false)).isFalse();
        assertThat(kubevirt.setVmStatus("edge-paris", "vm-f", "Starting", false)).isTrue();
        assertThat(sim.faults().pendingInterleaves()).isZero();
        assertThat(printableStatus("vm-f")).isEqualTo("Starting");
        release("vm-f");
    }

    @Test
    void aBootedVmWhoseStatusWritesKeptConflictingShowsRunningOnALaterPass() {
        // 16: the Starting write at the VMI's creation and the Running write after the boot each give up after 8
        concurrentWriter("vm-g", 16);
        client.genericKubernetesResources(SimKubeVirt.VIRTUAL_MACHINE.context()).inNamespace("edge-paris")
                .resource(vm("vm-g", Map.of())).create();

        waitForVm("vm-g", "Running"::equals);

        assertThat(sim.faults().pendingInterleaves()).isZero();
    }
}
