package io.jenkins.plugins.kubeplatform.sim.ingress;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.CustomResources;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Gateway API controller: installs the Gateway and HTTPRoute types, creates the platform Gateway
 * ({@code gateway-system/platform-gateway}, address 127.0.0.1) and reports on every HTTPRoute whose parentRef names
 * an existing Gateway: {@code Accepted=True} in {@code status.parents}. Like a real controller it writes nothing on
 * routes whose Gateway does not exist, and re-evaluates routes when Gateways appear.
 */
public final class SimGatewayController implements SimController {

    public static final CustomResources GATEWAY =
            new CustomResources("gateway.networking.k8s.io", "v1", "Gateway", "gateways", true);
    public static final CustomResources HTTP_ROUTE =
            new CustomResources("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true);
    public static final String CONTROLLER_NAME = "kubeplatform.jenkins.io/sim-gateway";
    public static final String DEFAULT_NAMESPACE = "gateway-system";
    public static final String DEFAULT_NAME = "platform-gateway";
    public static final String ADDRESS = "127.0.0.1";

    private SimContext context;
    private final Map<String, GenericKubernetesResource> routes = new LinkedHashMap<>();

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start(SimContext ctx) {
        this.context = ctx;
        KubernetesClient client = ctx.client();
        CustomResources.ensure(client, GATEWAY);
        CustomResources.ensure(client, HTTP_ROUTE);
        var gateways = client.genericKubernetesResources(GATEWAY.context());
        if (gateways.inNamespace(DEFAULT_NAMESPACE).withName(DEFAULT_NAME).get() == null) {
            GenericKubernetesResource desired = platformGateway();
            GenericKubernetesResource created = gateways.inNamespace(DEFAULT_NAMESPACE).resource(desired).create();
            // with a status subresource, create ignores status: the controller reports it separately
            created.getAdditionalProperties().put("status", desired.getAdditionalProperties().get("status"));
            gateways.inNamespace(DEFAULT_NAMESPACE).resource(created).updateStatus();
        }
        ctx.observe(gateways.inAnyNamespace(), gateway -> new ArrayList<>(routes.values()).forEach(this::reconcile));
        ctx.observe(client.genericKubernetesResources(HTTP_ROUTE.context()).inAnyNamespace(), new io.jenkins.plugins.kubeplatform.sim.ChangeHandler<>() {
            @Override
            public void changed(GenericKubernetesResource route) {
                routes.put(key(route), route);
                reconcile(route);
            }

            @Override
            public void deleted(GenericKubernetesResource route) {
                routes.remove(key(route));
            }
        });
    }

    private static GenericKubernetesResource platformGateway() {
        Map<String, Object> listener = Map.of("name", "http", "protocol", "HTTP", "port", 80,
                "allowedRoutes", Map.of("namespaces", Map.of("from", "All")));
        return new GenericKubernetesResourceBuilder().withApiVersion("gateway.networking.k8s.io/v1").withKind("Gateway")
                .withNewMetadata().withNamespace(DEFAULT_NAMESPACE).withName(DEFAULT_NAME).endMetadata()
                .addToAdditionalProperties("spec", Map.of("gatewayClassName", "sim", "listeners", List.of(listener)))
                .addToAdditionalProperties("status", Map.of(
                        "addresses", List.of(Map.of("type", "IPAddress", "value", ADDRESS)),
                        "conditions", List.of(Map.of("type", "Programmed", "status", "True", "reason", "Programmed"))))
                .build();
    }

    @SuppressWarnings("unchecked")
    private void reconcile(GenericKubernetesResource route) {
        String ns = route.getMetadata().getNamespace();
        if (!(route.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("parentRefs") instanceof List<?> parentRefs)) {
            return;
        }
        List<Map<String, Object>> parents = new ArrayList<>();
        var gateways = context.client().genericKubernetesResources(GATEWAY.context());
        for (Object p : parentRefs) {
            if (!(p instanceof Map<?, ?> ref) || ref.get("kind") != null && !"Gateway".equals(ref.get("kind"))) {
                continue;
            }
            String gwNamespace = ref.get("namespace") == null ? ns : String.valueOf(ref.get("namespace"));
            String gwName = String.valueOf(ref.get("name"));
            if (gateways.inNamespace(gwNamespace).withName(gwName).get() == null) {
                continue;
            }
            Map<String, Object> parent = new LinkedHashMap<>();
            parent.put("parentRef", ref);
            parent.put("controllerName", CONTROLLER_NAME);
            parent.put("conditions", List.of(
                    Map.of("type", "Accepted", "status", "True", "reason", "Accepted",
                            "message", "Route is accepted", "observedGeneration", generation(route)),
                    Map.of("type", "ResolvedRefs", "status", "True", "reason", "ResolvedRefs",
                            "message", "All references resolved", "observedGeneration", generation(route))));
            parents.add(parent);
        }
        Object current = route.getAdditionalProperties().get("status") instanceof Map<?, ?> s ? s.get("parents") : null;
        if (parents.isEmpty() || accepted(current, ns).equals(accepted(parents, ns))) {
            return;
        }
        GenericKubernetesResource live = context.client().genericKubernetesResources(HTTP_ROUTE.context())
                .inNamespace(ns).withName(route.getMetadata().getName()).get();
        if (live == null) {
            return;
        }
        live.getAdditionalProperties().put("status", Map.of("parents", parents));
        try {
            context.client().genericKubernetesResources(HTTP_ROUTE.context()).inNamespace(ns).resource(live).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static long generation(GenericKubernetesResource route) {
        return route.getMetadata().getGeneration() == null ? 1L : route.getMetadata().getGeneration();
    }

    /** The Gateways ({@code namespace/name}) that accepted the route according to a {@code status.parents} list. */
    private static java.util.Set<String> accepted(Object parents, String routeNamespace) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (!(parents instanceof List<?> list)) {
            return out;
        }
        for (Object p : list) {
            if (p instanceof Map<?, ?> parent && parent.get("parentRef") instanceof Map<?, ?> ref
                    && parent.get("conditions") instanceof List<?> conditions
                    && conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Accepted".equals(m.get("type"))
                            && "True".equals(m.get("status")))) {
                out.add((ref.get("namespace") == null ? routeNamespace : ref.get("namespace")) + "/" + ref.get("name"));
            }
        }
        return out;
    }

    private static String key(GenericKubernetesResource r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
