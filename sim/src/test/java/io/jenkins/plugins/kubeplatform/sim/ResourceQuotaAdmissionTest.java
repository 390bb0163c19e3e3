package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ResourceQuota admission plugin of kube-apiserver v1.32 and the resource quota controller, through raw HTTP.
 * Expected messages are composed as the real source composes them: {@code CheckRequest} in k8s.io/apiserver
 * pkg/admission/plugin/resourcequota/controller.go ({@code "exceeded quota: %s, requested: %s, used: %s, limited:
 * %s"} with {@code prettyPrint}, {@code "failed quota: %s: %v"}), the pod evaluator's {@code Constraints}
 * (pkg/quota/v1/evaluator/core/pods.go: {@code "must specify %s"}, each {@code "%s for: %s"} joined by {@code "; "}),
 * wrapped by {@code admission.NewForbidden} as {@code RESOURCE "NAME" is forbidden: CAUSE}.
 */
@Timeout(120)
class ResourceQuotaAdmissionTest {

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(10).nodes(1)
            .build());
    private static final KubernetesClient client = sim.client();

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    /** A quota with these hard limits, returned once the controller has written its usage. */
    private static ResourceQuota quota(String ns, String name, Map<String, String> hard) {
        ResourceQuotaBuilder b = new ResourceQuotaBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .endMetadata().withNewSpec().endSpec();
        hard.forEach((k, v) -> b.editSpec().addToHard(k, new Quantity(v)).endSpec());
        client.resourceQuotas().inNamespace(ns).resource(b.build()).create();
        return Pods.await(client.resourceQuotas().inNamespace(ns).withName(name), q -> q != null
                && q.getStatus() != null && q.getStatus().getUsed() != null
                && q.getStatus().getUsed().keySet().containsAll(hard.keySet()));
    }

    private static String used(String ns, String quota, String resource) {
        Quantity q = client.resourceQuotas().inNamespace(ns).withName(quota).get().getStatus().getUsed().get(resource);
        return q == null ? null : q.toString();
    }

    private static String pod(String name, String resources) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"" + resources + "}]}}";
    }

    private static Answer post(String ns, String query, String body) throws Exception {
        return RawApi.call(sim, "POST", "/api/v1/namespaces/" + ns + "/pods" + query, "application/json", body);
    }

    @Test
    void aPodBeyondThePodCountIsForbiddenWithTheExceededQuotaMessage() throws Exception {
        String ns = namespace("rq-count");
        quota(ns, "pod-count", Map.of("pods", "1"));
        assertThat(post(ns, "", pod("first", "")).code()).isEqualTo(201);

        Answer a = post(ns, "", pod("second", ""));

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"second\" is forbidden: exceeded quota: "
                + "pod-count, requested: pods=1, used: pods=1, limited: pods=1");
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("pods");
        assertThat(client.pods().inNamespace(ns).withName("second").get()).isNull();
    }

    @Test
    void aQuotaOnComputeResourcesRefusesAPodWhoseContainersDoNotSpecifyThem() throws Exception {
        String ns = namespace("rq-failed");
        quota(ns, "compute", Map.of("requests.memory", "1Gi", "limits.cpu", "2"));

        Answer a = post(ns, "", pod("bare", ""));

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"bare\" is forbidden: failed quota: compute: "
                + "must specify limits.cpu for: app; requests.memory for: app");
    }

    @Test
    void exceededComputeQuotaPrintsOnlyTheExceededResourcesInCanonicalQuantities() throws Exception {
        String ns = namespace("rq-compute");
        quota(ns, "compute", Map.of("requests.cpu", "1", "requests.memory", "2Gi", "pods", "10"));
        String resources = ",\"resources\":{\"requests\":{\"cpu\":\"0.6\",\"memory\":\"768Mi\"}}";
        assertThat(post(ns, "", pod("one", resources)).code()).isEqualTo(201);
        assertThat(used(ns, "compute", "requests.cpu")).isEqualTo("600m");
        assertThat(used(ns, "compute", "requests.memory")).isEqualTo("768Mi");

        Answer a = post(ns, "", pod("two", resources));

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"two\" is forbidden: exceeded quota: compute, "
                + "requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1");
    }

    @Test
    void aDryRunMeetsTheQuotaButChangesNoUsage() throws Exception {
        String ns = namespace("rq-dry");
        quota(ns, "pod-count", Map.of("pods", "1", "count/pods", "5"));

        assertThat(post(ns, "?dryRun=All", pod("probe", "")).code()).isEqualTo(201);
        assertThat(used(ns, "pod-count", "pods")).isEqualTo("0");
        assertThat(post(ns, "", pod("real", "")).code()).isEqualTo(201);
        Answer refused = post(ns, "?dryRun=All", pod("probe", ""));

        assertThat(refused.code()).isEqualTo(403);
        assertThat(refused.body().path("message").asText()).isEqualTo("pods \"probe\" is forbidden: exceeded quota: "
                + "pod-count, requested: pods=1, used: pods=1, limited: pods=1");
        assertThat(used(ns, "pod-count", "pods")).isEqualTo("1");
        assertThat(used(ns, "pod-count", "count/pods")).isEqualTo("1");
    }

    @Test
    void aServerSideApplyCreateIsHeldToTheQuota() throws Exception {
        String ns = namespace("rq-apply");
        quota(ns, "pod-count", Map.of("pods", "0"));

        Answer a = RawApi.call(sim, "PATCH", "/api/v1/namespaces/" + ns + "/pods/applied?fieldManager=test",
                "application/apply-patch+yaml", pod("applied", ""));

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"applied\" is forbidden: exceeded quota: "
                + "pod-count, requested: pods=1, used: pods=0, limited: pods=0");
    }

    @Test
    void usageFollowsPodsAsTheyComeTurnTerminalAndGo() throws Exception {
        String ns = namespace("rq-usage");
        quota(ns, "pods", Map.of("pods", "3", "count/pods", "3"));
        for (String name : List.of("a", "b", "c")) {
            assertThat(post(ns, "", pod(name, "")).code()).isEqualTo(201);
        }
        // admission charged each create before it was stored
        assertThat(used(ns, "pods", "pods")).isEqualTo("3");

        client.pods().inNamespace(ns).withName("a").withGracePeriod(0).delete();
        Pods.await(client.resourceQuotas().inNamespace(ns).withName("pods"),
                q -> q.getStatus().getUsed().get("pods").toString().equals("2"));
        assertThat(used(ns, "pods", "count/pods")).isEqualTo("2");

        // the kubelet has done with b (Running and Ready): no status write of its own is still on the way to
        // overwrite the phase set below, as it could while the pod was starting
        Pods.awaitReady(client, ns, "b");
        client.pods().inNamespace(ns).withName("b").editStatus(p -> {
            p.getStatus().setPhase("Succeeded");
            return p;
        });
        // a terminal pod frees "pods" but is still an object in storage for "count/pods"
        Pods.await(client.resourceQuotas().inNamespace(ns).withName("pods"),
                q -> q.getStatus().getUsed().get("pods").toString().equals("1"));
        assertThat(used(ns, "pods", "count/pods")).isEqualTo("2");
        assertThat(post(ns, "", pod("d", "")).code()).isEqualTo(201);
        Answer full = post(ns, "", pod("e", ""));
        assertThat(full.body().path("message").asText()).isEqualTo("pods \"e\" is forbidden: exceeded quota: "
                + "pods, requested: count/pods=1, used: count/pods=3, limited: count/pods=3");
    }

    @Test
    void podsCreatedAtOnceNeverOvershootTheQuota() throws Exception {
        String ns = namespace("rq-race");
        quota(ns, "pod-count", Map.of("pods", "3"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> creates = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = "p" + i;
                creates.add(() -> post(ns, "", pod(name, "")).code());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(creates, 60, TimeUnit.SECONDS)) {
                codes.add(f.get());
            }
            assertThat(codes).filteredOn(c -> c == 201).hasSize(3);
            assertThat(codes).filteredOn(c -> c == 403).hasSize(9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(3);
        assertThat(used(ns, "pod-count", "pods")).isEqualTo("3");
    }

    @Test
    void objectCountQuotasHoldOtherKinds() throws Exception {
        String ns = namespace("rq-objects");
        quota(ns, "objects", Map.of("count/deployments.apps", "1", "services", "1", "configmaps", "1"));
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\"},"
                + "\"spec\":{\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}}}";
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        assertThat(RawApi.call(sim, "POST", deployments, "application/json", deployment.formatted("web", "web", "web"))
                .code()).isEqualTo(201);
        Answer secondDeployment = RawApi.call(sim, "POST", deployments, "application/json",
                deployment.formatted("api", "api", "api"));
        String service = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},\"spec\":"
                + "{\"ports\":[{\"port\":80}]}}";
        String services = "/api/v1/namespaces/" + ns + "/services";
        assertThat(RawApi.call(sim, "POST", services, "application/json", service.formatted("web")).code())
                .isEqualTo(201);
        Answer secondService = RawApi.call(sim, "POST", services, "application/json", service.formatted("api"));

        assertThat(secondDeployment.code()).isEqualTo(403);
        assertThat(secondDeployment.body().path("message").asText()).isEqualTo("deployments.apps \"api\" is "
                + "forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: "
                + "count/deployments.apps=1, limited: count/deployments.apps=1");
        assertThat(secondDeployment.body().path("details").path("group").asText()).isEqualTo("apps");
        assertThat(secondService.code()).isEqualTo(403);
        assertThat(secondService.body().path("message").asText()).isEqualTo("services \"api\" is forbidden: "
                + "exceeded quota: objects, requested: services=1, used: services=1, limited: services=1");
    }

    @Test
    void aLimitRangeDefaultMeetsAQuotaThatRequiresLimits() throws Exception {
        String ns = namespace("rq-limitrange");
        quota(ns, "compute", Map.of("limits.cpu", "1", "limits.memory", "1Gi"));
        String limitRange = "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"defaults\"},"
                + "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"400m\",\"memory\":\"256Mi\"}}]}}";
        assertThat(RawApi.call(sim, "POST", "/api/v1/namespaces/" + ns + "/limitranges", "application/json",
                limitRange).code()).isEqualTo(201);

        assertThat(post(ns, "", pod("one", "")).code()).isEqualTo(201);
        assertThat(post(ns, "", pod("two", "")).code()).isEqualTo(201);
        Answer third = post(ns, "", pod("three", ""));

        assertThat(used(ns, "compute", "limits.cpu")).isEqualTo("800m");
        assertThat(used(ns, "compute", "limits.memory")).isEqualTo("512Mi");
        assertThat(third.body().path("message").asText()).isEqualTo("pods \"three\" is forbidden: exceeded quota: "
                + "compute, requested: limits.cpu=400m, used: limits.cpu=800m, limited: limits.cpu=1");
    }

    @Test
    void aReplicaSetUnderAPodQuotaStopsAtTheQuotaAndReportsTheRefusedCreates() throws Exception {
        String ns = namespace("rq-replicaset");
        quota(ns, "pod-count", Map.of("pods", "3"));
        client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().withReplicas(5).withNewSelector().addToMatchLabels("app", "web")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();

        Event failed = Pods.awaitEvent(client, ns, "web", "FailedCreate");

        // RealPodControl.createPods: "Error creating: %v"; the quota plugin names the generated name
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getMessage()).matches("Error creating: pods \"web-[a-z0-9]{5}\" is forbidden: exceeded "
                + "quota: pod-count, requested: pods=1, used: pods=3, limited: pods=3");
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(3);
        assertThat(used(ns, "pod-count", "pods")).isEqualTo("3");
    }
}
