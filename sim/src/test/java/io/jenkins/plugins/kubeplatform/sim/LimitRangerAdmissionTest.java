package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The LimitRanger admission plugin of kube-apiserver v1.32 on pod creates, through raw HTTP. Expected values are
 * composed as k8s.io/kubernetes plugin/pkg/admission/limitranger/admission.go composes them:
 * {@code mergeContainerResources} ({@code "%s request for %s %s"}, {@code "%s limit for %s %s"}, names sorted,
 * joined by {@code "; "} after {@code "LimitRanger plugin set: "}), {@code minConstraint}, {@code maxConstraint} and
 * {@code limitRequestRatioConstraint} ({@code "maximum %s usage per %s is %s, but limit is %s"}, ...), several
 * violations aggregated by {@code utilerrors.NewAggregate} ({@code [a, b]}); the LimitRange's own defaults from
 * {@code SetDefaults_LimitRangeItem} (pkg/apis/core/v1/defaults.go).
 */
class LimitRangerAdmissionTest {

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    private static String namespace(String name, String limits) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        Answer created = RawApi.call(sim, "POST", "/api/v1/namespaces/" + name + "/limitranges", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"limits\"},\"spec\":"
                        + "{\"limits\":[" + limits + "]}}");
        assertThat(created.code()).isEqualTo(201);
        return name;
    }

    private static Answer post(String ns, String name, String resources) throws Exception {
        return RawApi.call(sim, "POST", "/api/v1/namespaces/" + ns + "/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                        + "\"initContainers\":[{\"name\":\"setup\",\"image\":\"busybox:1.36\"}],"
                        + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"" + resources + "}]}}");
    }

    @Test
    void containersWithoutResourcesGetTheDefaultsAndTheAnnotationSaysWhich() throws Exception {
        String ns = namespace("lr-defaults", "{\"type\":\"Container\",\"default\":{\"cpu\":\"0.5\",\"memory\":"
                + "\"256Mi\"},\"defaultRequest\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}");

        Answer a = post(ns, "web", "");

        assertThat(a.code()).isEqualTo(201);
        JsonNode app = a.body().path("spec").path("containers").path(0).path("resources");
        assertThat(app.path("limits").path("cpu").asText()).isEqualTo("500m");
        assertThat(app.path("limits").path("memory").asText()).isEqualTo("256Mi");
        assertThat(app.path("requests").path("cpu").asText()).isEqualTo("100m");
        assertThat(app.path("requests").path("memory").asText()).isEqualTo("128Mi");
        JsonNode setup = a.body().path("spec").path("initContainers").path(0).path("resources");
        assertThat(setup.path("limits").path("cpu").asText()).isEqualTo("500m");
        assertThat(a.body().path("metadata").path("annotations").path("kubernetes.io/limit-ranger").asText())
                .isEqualTo("LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for "
                        + "container app; cpu, memory request for init container setup; cpu, memory limit for init "
                        + "container setup");
    }

    @Test
    void aContainerLimitAboveTheMaximumIsForbidden() throws Exception {
        String ns = namespace("lr-max", "{\"type\":\"Container\",\"max\":{\"cpu\":\"2\"}}");

        Answer a = post(ns, "big", ",\"resources\":{\"limits\":{\"cpu\":\"4\"}}");

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"big\" is forbidden: maximum cpu usage per "
                + "Container is 2, but limit is 4");
        assertThat(client.pods().inNamespace(ns).withName("big").get()).isNull();
    }

    @Test
    void theLimitRangeDefaultsItsDefaultLimitToTheMaximumSoAPodWithoutLimitsPasses() throws Exception {
        String ns = namespace("lr-max-default", "{\"type\":\"Container\",\"max\":{\"memory\":\"1Gi\"}}");

        Answer a = post(ns, "plain", "");

        assertThat(a.code()).isEqualTo(201);
        assertThat(a.body().path("spec").path("containers").path(0).path("resources").path("limits").path("memory")
                .asText()).isEqualTo("1Gi");
        assertThat(a.body().path("spec").path("containers").path(0).path("resources").path("requests")
                .path("memory").asText()).isEqualTo("1Gi");
    }

    @Test
    void aRequestBelowTheMinimumAndARatioAboveTheMaximumAreReportedTogether() throws Exception {
        String ns = namespace("lr-min-ratio", "{\"type\":\"Container\",\"min\":{\"memory\":\"64Mi\"},"
                + "\"maxLimitRequestRatio\":{\"cpu\":\"2\"}}");

        Answer a = post(ns, "skewed", ",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"32Mi\"},"
                + "\"limits\":{\"cpu\":\"500m\"}}");

        assertThat(a.code()).isEqualTo(403);
        // the app container breaks both; the init container's request is defaulted to the min, and has no cpu at all
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"skewed\" is forbidden: [minimum memory usage "
                + "per Container is 64Mi, but request is 32Mi, cpu max limit to request ratio per Container is 2, but "
                + "provided ratio is 5.000000, cpu max limit to request ratio per Container is 2, but no request is "
                + "specified or request is 0]");
    }

    @Test
    void aPodItemHoldsThePodsSum() throws Exception {
        String ns = namespace("lr-pod", "{\"type\":\"Pod\",\"max\":{\"memory\":\"1Gi\"}}");

        Answer a = RawApi.call(sim, "POST", "/api/v1/namespaces/" + ns + "/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pair\"},\"spec\":{\"containers\":["
                        + "{\"name\":\"a\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"memory\":\"768Mi\"}}},"
                        + "{\"name\":\"b\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"memory\":\"512Mi\"}}}]}}");

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"pair\" is forbidden: maximum memory usage "
                + "per Pod is 1Gi, but limit is 1280Mi");
    }
}
