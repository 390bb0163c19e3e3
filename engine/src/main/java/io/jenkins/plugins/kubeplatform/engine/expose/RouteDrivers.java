package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.util.List;

/** The one place a route kind picks its driver. */
final class RouteDrivers {

    private final IngressRoutes ingress;
    private final HttpRoutes httpRoute;
    private final NginxOnlyRoutes nginxOnly = new NginxOnlyRoutes();

    RouteDrivers(KubernetesClient client, ExposeSettings settings, ApiRetry retry, Progress progress) {
        this.ingress = new IngressRoutes(client, settings, retry, progress);
        this.httpRoute = new HttpRoutes(client, settings, retry, progress);
    }

    RouteDriver of(RouteKind kind) {
        return switch (kind) {
            case INGRESS -> ingress;
            case HTTPROUTE -> httpRoute;
            case NONE -> nginxOnly;
        };
    }

    /** Every driver, in {@link RouteKind} order: a release looks at each kind, whatever the settings say now. */
    List<RouteDriver> all() {
        return java.util.Arrays.stream(RouteKind.values()).map(this::of).toList();
    }
}
