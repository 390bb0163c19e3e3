package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedClusterTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
    static final KubernetesClient client = sim.client();

    @BeforeEach
    void reset() {
        sim.faults().clear();
        sim.requests().clear();
    }

    @Test
    void servesPlainHttpOnLoopback() {
        assertThat(sim.url()).startsWith("http://127.0.0.1:").endsWith(":" + sim.port());
        assertThat(client.getMasterUrl().toString()).startsWith(sim.url());
    }

    @Test
    void seedsTheDefaultNamespaces() {
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kubeplatform-system", "gateway-system", "edge-frankfurt",
                        "edge-paris");
    }

    @Test
    void seedsThreeReadyNodesWithZonesAndCoordinates() {
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        Node first = client.nodes().withName("node-1").get();
        assertThat(first.getMetadata().getLabels()).containsEntry(SimNode.ZONE_LABEL, "eu-central-1a")
                .containsEntry(SimNode.REGION_LABEL, "eu-central-1");
        assertThat(first.getMetadata().getAnnotations()).containsKeys(SimNode.LATITUDE_ANNOTATION,
                SimNode.LONGITUDE_ANNOTATION);
        assertThat(first.getStatus().getAllocatable().get("cpu").toString()).isEqualTo("4");
        assertThat(NodeConditions.isReady(first)).isTrue();
    }

    @Test
    void seedsTheCalicoPool() {
        List<GenericKubernetesResource> pools = client.genericKubernetesResources(
                CustomResources.CALICO_IPPOOL.context()).list().getItems();
        assertThat(pools).hasSize(1);
        assertThat(pools.get(0).get("spec", "cidr").toString()).isEqualTo("10.42.0.0/16");
    }

    @Test
    void servesDiscoveryForBuiltInKindsAndCustomResources() {
        assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName())
                .contains("apps", "batch", "policy", "crd.projectcalico.org");
        assertThat(client.getApiResources("v1").getResources()).anySatisfy(r -> {
            assertThat(r.getName()).isEqualTo("nodes");
            assertThat(r.getNamespaced()).isFalse();
            assertThat(r.getShortNames()).contains("no");
        });
        assertThat(client.getApiResources("crd.projectcalico.org/v1").getResources())
                .extracting(r -> r.getName()).contains("ippools");
    }

    @Test
    void refusesObjectsInNamespacesThatDoNotExist() {
        assertThatThrownBy(() -> client.configMaps().inNamespace("not-created").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("c").endMetadata().addToData("k", "v").build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getReason()).isEqualTo("NotFound");
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"not-created\" not found");
                    assertThat(e.getStatus().getDetails().getKind()).isEqualTo("namespaces");
                    assertThat(e.getStatus().getDetails().getName()).isEqualTo("not-created");
                });
        assertThat(client.configMaps().inNamespace("not-created").withName("c").get()).isNull();
    }

    @Test
    void startsWithTheSystemNamespacesOfARealControlPlane() {
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kube-public", "kube-node-lease");
    }

    @Test
    void logsEveryRequestWithItsRbacCoordinates() {
        client.pods().inNamespace("default").list();
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("logged").endMetadata().build()).create();
        client.configMaps().inNamespace("default").withName("logged").get();
        client.configMaps().inNamespace("default").withName("missing").get();

        List<ApiRequest> log = sim.requests().list();
        assertThat(log).extracting(ApiRequest::verb, ApiRequest::resource, ApiRequest::namespace, ApiRequest::name,
                        ApiRequest::status)
                .containsSubsequence(
                        org.assertj.core.groups.Tuple.tuple("list", "pods", "default", "", 200),
                        org.assertj.core.groups.Tuple.tuple("create", "configmaps", "default", "", 201),
                        org.assertj.core.groups.Tuple.tuple("get", "configmaps", "default", "logged", 200),
                        org.assertj.core.groups.Tuple.tuple("get", "configmaps", "default", "missing", 404));
        assertThat(sim.requests().verbs("configmaps")).containsExactly("create", "get");
        assertThat(sim.requests().verbsByResource()).containsKeys("pods", "configmaps");
    }

    @Test
    void logsGroupAndSubresource() {
        client.apps().deployments().inNamespace("default").list();
        assertThat(sim.requests().list()).anySatisfy(r -> {
            assertThat(r.group()).isEqualTo("apps");
            assertThat(r.version()).isEqualTo("v1");
            assertThat(r.resource()).isEqualTo("deployments");
        });
        assertThat(sim.requests().verbsByResource()).containsKey("apps/deployments");
    }

    @Test
    void doesNotLogTheSimulationsOwnRequestsAsExternal() {
        sim.nodes().fail("node-2");
        sim.nodes().recover("node-2");
        assertThat(sim.requests().list()).isEmpty();
        assertThat(sim.requests().allIncludingInternal()).anyMatch(r -> r.internal() && r.resource().equals("nodes"));
    }

    @Test
    void failsTheNextMatchingRequestsWithTheInjectedStatus() {
        sim.faults().failNext(2, "get", "/configmaps/", 503);
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("x").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(503));
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("x").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(503));
        assertThat(client.configMaps().inNamespace("default").withName("x").get()).isNull();
        assertThat(sim.requests().list()).extracting(ApiRequest::status).containsExactly(503, 503, 404);
    }

    @Test
    void injectsFaultsOnlyForMatchingVerbs() {
        sim.faults().failNext(1, "POST", "/configmaps", 409);
        client.configMaps().inNamespace("default").list();
        assertThat(sim.faults().pending()).isEqualTo(1);
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("conflicted").endMetadata().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(sim.faults().pending()).isZero();
    }

    @Test
    void addsLatencyToResponses() {
        sim.faults().latency(java.time.Duration.ofMillis(300));
        long start = System.nanoTime();
        client.namespaces().withName("default").get();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        sim.faults().latency(java.time.Duration.ZERO);
        assertThat(tookMs).isGreaterThanOrEqualTo(300);
    }

    @Test
    void marksAFailedNodeUnknownAndTaintedAndRecoversIt() {
        sim.nodes().fail("node-3");
        Node failed = client.nodes().withName("node-3").get();
        assertThat(NodeConditions.isReady(failed)).isFalse();
        assertThat(failed.getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .contains(SimNodes.UNREACHABLE_TAINT + ":NoSchedule", SimNodes.UNREACHABLE_TAINT + ":NoExecute");
        sim.nodes().recover("node-3");
        Node recovered = client.nodes().withName("node-3").get();
        assertThat(NodeConditions.isReady(recovered)).isTrue();
        assertThat(recovered.getSpec().getTaints()).isNullOrEmpty();
    }
}
