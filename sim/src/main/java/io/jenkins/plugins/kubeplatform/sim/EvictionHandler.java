package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.kubeplatform.sim.model.DisruptionBudgets;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.jenkins.plugins.kubeplatform.sim.model.Selectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;

/**
 * {@code POST /api/v1/namespaces/{ns}/pods/{name}/eviction}, decided the way the API server's eviction REST handler
 * does: a pod no budget covers, or one that is already terminating or finished, is deleted; a pod covered by one
 * PodDisruptionBudget is deleted only if the budget allows one more disruption, else 429 with the Kubernetes
 * message; more than one budget is a 500. Budget figures are computed from the live pods and their controllers' scale
 * at the moment of the call (see {@link DisruptionController#budget}), so concurrent evictions cannot both spend
 * the last allowed disruption. Runs inside the server, so it reads through the CRUD store directly.
 */
final class EvictionHandler {

    static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

    private final Dispatcher store;
    private final ApiSemantics api;

    EvictionHandler(Dispatcher store, ApiSemantics api) {
        this.store = store;
        this.api = api;
    }

    synchronized MockResponse evict(String namespace, String name) {
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        MockResponse got = store.dispatch(request(HttpMethod.GET, podPath));
        if (got.code() == 404) {
            return ApiSemantics.notFound(ApiPath.parse(podPath));
        }
        if (got.code() != 200) {
            return got;
        }
        Pod pod = StatusResponses.JSON.unmarshal(body(got), Pod.class);
        if (PodStates.isTerminating(pod) || PodStates.isFinished(pod)) {
            return delete(podPath);
        }
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        MockResponse pdbs = store.dispatch(request(HttpMethod.GET,
                "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets"));
        if (pdbs.code() == 200) {
            for (PodDisruptionBudget pdb : StatusResponses.JSON.unmarshal(body(pdbs), PodDisruptionBudgetList.class)
                    .getItems()) {
                if (Selectors.matches(pdb.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                    budgets.add(pdb);
                }
            }
        }
        if (budgets.isEmpty()) {
            return delete(podPath);
        }
        if (budgets.size() > 1) {
            return StatusResponses.status(500, "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                    null);
        }
        PodDisruptionBudget pdb = budgets.get(0);
        List<Pod> pods = StatusResponses.JSON.unmarshal(
                body(store.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/" + namespace + "/pods"))),
                PodList.class).getItems();
        DisruptionBudgets.Budget budget = DisruptionBudgets.budget(pdb, pods, owner -> scaleOf(namespace, owner));
        boolean podReady = PodStates.isReady(pod);
        if (!podReady && budget.currentHealthy() >= budget.desiredHealthy() && budget.desiredHealthy() > 0) {
            return delete(podPath);
        }
        if (budget.disruptionsAllowed() <= 0) {
            Status status = new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure")
                    .withMessage(VIOLATION).withReason("TooManyRequests").withCode(429)
                    .withNewDetails().addNewCause().withReason("DisruptionBudget")
                    .withMessage("The disruption budget " + pdb.getMetadata().getName() + " needs "
                            + budget.desiredHealthy() + " healthy pods and has " + budget.currentHealthy()
                            + " currently")
                    .endCause().endDetails().build();
            return StatusResponses.status(429, "TooManyRequests", VIOLATION, status);
        }
        return delete(podPath);
    }

    private Optional<Integer> scaleOf(String namespace, OwnerReference owner) {
        String resource = switch (owner.getKind()) {
            case "ReplicaSet" -> "/apis/apps/v1/namespaces/" + namespace + "/replicasets/";
            case "StatefulSet" -> "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/";
            case "ReplicationController" -> "/api/v1/namespaces/" + namespace + "/replicationcontrollers/";
            default -> null;
        };
        if (resource == null) {
            return Optional.empty();
        }
        MockResponse got = store.dispatch(request(HttpMethod.GET, resource + owner.getName()));
        if (got.code() != 200) {
            return Optional.empty();
        }
        Object replicas = StatusResponses.JSON.unmarshal(body(got), GenericKubernetesResource.class).get("spec",
                "replicas");
        return Optional.of(replicas instanceof Number n ? n.intValue() : 1);
    }

    private MockResponse delete(String podPath) {
        MockResponse deleted = api.handle(request(HttpMethod.DELETE, podPath), ApiPath.parse(podPath));
        if (deleted.code() >= 300) {
            return deleted;
        }
        return StatusResponses.status(201, "", "", new StatusBuilder().withNewMetadata().endMetadata()
                .withStatus("Success").withCode(201).build());
    }

    private static RecordedRequest request(HttpMethod method, String path) {
        return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().build(), new Buffer());
    }

    private static String body(MockResponse response) {
        return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    }

}
