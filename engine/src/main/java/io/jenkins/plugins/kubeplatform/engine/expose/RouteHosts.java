package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the hosts of every Ingress and HTTPRoute in the cluster (two list requests). */
public final class RouteHosts {

    private RouteHosts() {
    }

    public static List<RouteRef> observe(KubernetesClient client, ApiRetry retry) {
        return observeAll(client, retry).routes();
    }

    /**
     * What the two lists show: the hosts routed, and the routes that have no host at all (candidates for a
     * generated host, EXP-11).
     */
    public record Observation(List<RouteRef> routes, List<Ingress> hostlessIngresses,
            List<HTTPRoute> hostlessHttpRoutes, boolean gatewayApiServed) {
    }

    public static Observation observeAll(KubernetesClient client, ApiRetry retry) {
        List<RouteRef> refs = new ArrayList<>();
        List<Ingress> hostlessIngresses = new ArrayList<>();
        List<HTTPRoute> hostlessRoutes = new ArrayList<>();
        for (Ingress ingress : retry.call("list Ingresses in all namespaces",
                () -> client.network().v1().ingresses().inAnyNamespace().list().getItems())) {
            List<RouteRef> found = fromIngress(ingress);
            refs.addAll(found);
            if (found.isEmpty() && ingress.getSpec() != null) {
                hostlessIngresses.add(ingress);
            }
        }
        Optional<List<HTTPRoute>> httpRoutes = httpRoutes(client, retry);
        for (HTTPRoute route : httpRoutes.orElse(List.of())) {
            List<RouteRef> found = fromHttpRoute(route);
            refs.addAll(found);
            if (found.isEmpty() && route.getSpec() != null) {
                hostlessRoutes.add(route);
            }
        }
        return new Observation(refs, hostlessIngresses, hostlessRoutes, httpRoutes.isPresent());
    }

    /** Every HTTPRoute; empty when the cluster does not serve them (Gateway API not installed: no host there). */
    private static Optional<List<HTTPRoute>> httpRoutes(KubernetesClient client, ApiRetry retry) {
        try {
            return Optional.of(retry.call("list HTTPRoutes in all namespaces", () -> client.resources(HTTPRoute.class)
                    .inAnyNamespace().list().getItems()));
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static List<RouteRef> fromIngress(Ingress ingress) {
        List<RouteRef> refs = new ArrayList<>();
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            return refs;
        }
        ObjectMeta meta = ingress.getMetadata();
        for (IngressRule rule : ingress.getSpec().getRules()) {
            if (rule.getHost() == null || rule.getHost().isBlank()) {
                continue;
            }
            Optional<String> service = Optional.empty();
            int port = 0;
            if (rule.getHttp() != null && rule.getHttp().getPaths() != null && !rule.getHttp().getPaths().isEmpty()) {
                var backend = rule.getHttp().getPaths().get(0).getBackend();
                if (backend != null && backend.getService() != null) {
                    service = Optional.ofNullable(backend.getService().getName());
                    if (backend.getService().getPort() != null && backend.getService().getPort().getNumber() != null) {
                        port = backend.getService().getPort().getNumber();
                    }
                }
            }
            String host = rule.getHost();
            Optional<String> secret = ingress.getSpec().getTls() == null ? Optional.empty()
                    : ingress.getSpec().getTls().stream().filter(t -> t.getSecretName() != null && !t.getSecretName().isBlank()
                            && (t.getHosts() == null || t.getHosts().isEmpty() || t.getHosts().contains(host)))
                    .map(io.fabric8.kubernetes.api.model.networking.v1.IngressTLS::getSecretName).findFirst();
            refs.add(new RouteRef(RouteKind.INGRESS, meta.getNamespace(), meta.getName(), host,
                    owner(meta), labelled(meta), service, port, upstream(meta), secret));
        }
        return refs;
    }

    static List<RouteRef> fromHttpRoute(HTTPRoute route) {
        List<RouteRef> refs = new ArrayList<>();
        if (route.getSpec() == null || route.getSpec().getHostnames() == null
                || route.getSpec().getHostnames().isEmpty()) {
            return refs;
        }
        Optional<String> service = Optional.empty();
        int port = 0;
        List<HTTPRouteRule> rules = route.getSpec().getRules();
        if (rules != null && !rules.isEmpty() && rules.get(0).getBackendRefs() != null
                && !rules.get(0).getBackendRefs().isEmpty()) {
            HTTPBackendRef backend = rules.get(0).getBackendRefs().get(0);
            service = Optional.ofNullable(backend.getName());
            if (backend.getPort() != null) {
                port = backend.getPort();
            }
        }
        ObjectMeta meta = route.getMetadata();
        for (String host : route.getSpec().getHostnames()) {
            if (host == null || host.isBlank()) {
                continue;
            }
            refs.add(new RouteRef(RouteKind.HTTPROUTE, meta.getNamespace(), meta.getName(), host,
                    owner(meta), labelled(meta), service, port, upstream(meta)));
        }
        return refs;
    }

    static Optional<Owner> owner(ObjectMeta meta) {
        String app = meta.getAnnotations() == null ? null : meta.getAnnotations().get(ExposeLabels.APP_ANNOTATION);
        return app == null || app.isEmpty() ? Optional.empty() : Optional.of(new Owner(meta.getNamespace(), app));
    }

    static boolean labelled(ObjectMeta meta) {
        return meta.getLabels() != null && "true".equals(meta.getLabels().get(ExposeLabels.EXPOSE));
    }

    private static Optional<String> upstream(ObjectMeta meta) {
        return Optional.ofNullable(meta.getAnnotations() == null ? null
                : meta.getAnnotations().get(ExposeLabels.UPSTREAM_ANNOTATION));
    }
}
