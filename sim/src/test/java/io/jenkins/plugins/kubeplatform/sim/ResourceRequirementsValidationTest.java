package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests within limits, as kube-apiserver v1.32 validates every container of a pod and of a workload's template
 * (pkg/apis/core/validation/validation.go {@code ValidateResourceRequirements}: {@code field.Invalid(reqPath,
 * quantity.String(), "must be less than or equal to %s limit of %s")}, the path being the {@code requests} map;
 * {@code "must be equal to %s limit of %s"} and {@code field.Required(limPath, "Limit must be set for non
 * overcommitable resources")} for resources that cannot be overcommitted). Quantities print as
 * {@code Quantity.String()} does (2048Mi is 2Gi, 1.5 is 1500m).
 */
class ResourceRequirementsValidationTest {

    private static final String NS = "requests";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    @BeforeAll
    static void namespace() {
        for (String ns : new String[] {NS, "defaulted"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
    }

    private static String container(String name, String resources) {
        return "{\"name\":\"" + name + "\",\"image\":\"nginx:1.27\",\"resources\":{" + resources + "}}";
    }

    private static Answer pod(String ns, String name, String spec) throws Exception {
        return RawApi.call(sim, "POST", "/api/v1/namespaces/" + ns + "/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec
                        + "}}");
    }

    @Test
    void aContainerRequestingMoreCpuThanItsLimitIsInvalidNamingTheRequestsField() throws Exception {
        Answer a = pod(NS, "greedy", "\"containers\":[" + container("app",
                "\"requests\":{\"cpu\":\"2\"},\"limits\":{\"cpu\":\"1\"}") + "]");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(a.body().path("message").asText()).isEqualTo("Pod \"greedy\" is invalid: "
                + "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu "
                + "limit of 1");
        assertThat(a.body().path("details").path("causes").path(0).path("field").asText())
                .isEqualTo("spec.containers[0].resources.requests");
        assertThat(a.body().path("details").path("causes").path(0).path("reason").asText())
                .isEqualTo("FieldValueInvalid");
        assertThat(client.pods().inNamespace(NS).withName("greedy").get()).isNull();
    }

    @Test
    void everyViolationIsListedContainersBeforeInitContainersWithQuantitiesInCanonicalForm() throws Exception {
        Answer a = pod(NS, "several", "\"initContainers\":[" + container("setup",
                "\"requests\":{\"cpu\":\"1.5\"},\"limits\":{\"cpu\":\"1\"}") + "],\"containers\":["
                + container("app", "\"requests\":{\"cpu\":\"100m\",\"memory\":\"2048Mi\"},\"limits\":{\"cpu\":"
                        + "\"100m\",\"memory\":\"1Gi\"}") + "]");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("message").asText()).isEqualTo("Pod \"several\" is invalid: ["
                + "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to "
                + "memory limit of 1Gi, spec.initContainers[0].resources.requests: Invalid value: \"1500m\": must be "
                + "less than or equal to cpu limit of 1]");
    }

    @Test
    void anExtendedResourceNeedsALimitEqualToItsRequest() throws Exception {
        Answer unlimited = pod(NS, "gpu", "\"containers\":[" + container("app",
                "\"requests\":{\"example.com/gpu\":\"1\"}") + "]");
        assertThat(unlimited.code()).isEqualTo(422);
        assertThat(unlimited.body().path("message").asText()).isEqualTo("Pod \"gpu\" is invalid: "
                + "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable "
                + "resources");
        Answer below = pod(NS, "gpu", "\"containers\":[" + container("app",
                "\"requests\":{\"example.com/gpu\":\"1\"},\"limits\":{\"example.com/gpu\":\"2\"}") + "]");
        assertThat(below.body().path("message").asText()).isEqualTo("Pod \"gpu\" is invalid: "
                + "spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to example.com/gpu "
                + "limit of 2");
    }

    @Test
    void aLimitRangeWhoseDefaultLimitIsBelowTheContainersRequestMakesThePodInvalid() throws Exception {
        Answer range = RawApi.call(sim, "POST", "/api/v1/namespaces/defaulted/limitranges", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"cpu\"},\"spec\":{\"limits\":"
                        + "[{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\"}}]}}");
        assertThat(range.code()).isEqualTo(201);

        Answer a = pod("defaulted", "asks-for-one", "\"containers\":[" + container("app",
                "\"requests\":{\"cpu\":\"1\"}") + "]");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("message").asText()).isEqualTo("Pod \"asks-for-one\" is invalid: "
                + "spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu "
                + "limit of 500m");
    }

    @Test
    void aDeploymentWhoseTemplateRequestsMoreThanItsLimitIsInvalidOnCreateAndOnUpdate() throws Exception {
        String deployments = "/apis/apps/v1/namespaces/" + NS + "/deployments";
        String bad = "\"requests\":{\"memory\":\"1Gi\"},\"limits\":{\"memory\":\"512Mi\"}";
        String good = "\"requests\":{\"memory\":\"256Mi\"},\"limits\":{\"memory\":\"512Mi\"}";
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"web\"}},\"spec\":{\"containers\":[%s]}}}}";

        Answer created = RawApi.call(sim, "POST", deployments, "application/json",
                deployment.formatted(container("web", bad)));
        assertThat(created.code()).isEqualTo(422);
        assertThat(created.body().path("message").asText()).isEqualTo("Deployment.apps \"web\" is invalid: "
                + "spec.template.spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or "
                + "equal to memory limit of 512Mi");

        assertThat(RawApi.call(sim, "POST", deployments, "application/json",
                deployment.formatted(container("web", good))).code()).isEqualTo(201);
        Answer patched = RawApi.call(sim, "PATCH", deployments + "/web", "application/strategic-merge-patch+json",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"resources\":{\"requests\":"
                        + "{\"memory\":\"1Gi\"}}}]}}}}");
        assertThat(patched.code()).isEqualTo(422);
        assertThat(patched.body().path("message").asText()).startsWith("Deployment.apps \"web\" is invalid: "
                + "spec.template.spec.containers[0].resources.requests: Invalid value: \"1Gi\"");
    }
}
