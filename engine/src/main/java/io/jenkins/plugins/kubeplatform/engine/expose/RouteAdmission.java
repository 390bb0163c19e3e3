package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.WatchedObjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Waits by watch until a route is admitted (EXP-5): an Ingress has a load balancer address, an HTTPRoute has
 * {@code Accepted=True} from the configured Gateway. At the timeout it fails with what the cluster says.
 */
final class RouteAdmission {

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Progress progress;

    RouteAdmission(KubernetesClient client, ApiRetry retry, Progress progress) {
        this.client = client;
        this.retry = retry;
        this.progress = progress;
    }

    /** The first load balancer IP or hostname, if the ingress controller reported one. */
    static Optional<String> address(Ingress ingress) {
        if (ingress == null || ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                || ingress.getStatus().getLoadBalancer().getIngress() == null) {
            return Optional.empty();
        }
        for (IngressLoadBalancerIngress lb : ingress.getStatus().getLoadBalancer().getIngress()) {
            if (lb.getIp() != null && !lb.getIp().isBlank()) {
                return Optional.of(lb.getIp());
            }
            if (lb.getHostname() != null && !lb.getHostname().isBlank()) {
                return Optional.of(lb.getHostname());
            }
        }
        return Optional.empty();
    }

    /** The Accepted condition the configured Gateway reported for this route, if any. */
    static Optional<Condition> acceptedCondition(HTTPRoute route, ExposeSettings.Gateway gateway) {
        if (route == null || route.getStatus() == null || route.getStatus().getParents() == null) {
            return Optional.empty();
        }
        for (RouteParentStatus parent : route.getStatus().getParents()) {
            if (parent.getParentRef() == null || parent.getConditions() == null) {
                continue;
            }
            String ns = parent.getParentRef().getNamespace() == null ? route.getMetadata().getNamespace()
                    : parent.getParentRef().getNamespace();
            if (!gateway.name().equals(parent.getParentRef().getName()) || !gateway.namespace().equals(ns)) {
                continue;
            }
            for (Condition condition : parent.getConditions()) {
                if ("Accepted".equals(condition.getType())) {
                    return Optional.of(condition);
                }
            }
        }
        return Optional.empty();
    }

    static boolean accepted(HTTPRoute route, ExposeSettings.Gateway gateway) {
        return acceptedCondition(route, gateway).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Returns the address; {@code current} is the object as last read, so an admitted route costs no request. */
    String awaitIngress(Ingress current, Duration timeout) {
        Optional<String> now = address(current);
        if (now.isPresent()) {
            return now.get();
        }
        String ns = current.getMetadata().getNamespace();
        String name = current.getMetadata().getName();
        progress.waiting("waiting up to " + timeout.toSeconds() + "s for Ingress " + ns + "/" + name
                + " to get an address from ingress class '" + current.getSpec().getIngressClassName() + "'");
        Optional<String> admitted = WatchedObjects.await("Ingress " + ns + "/" + name + " to get an address",
                client.network().v1().ingresses().inNamespace(ns).withField("metadata.name", name),
                items -> items.stream().map(RouteAdmission::address).flatMap(Optional::stream).findFirst(),
                timeout, retry, progress);
        if (admitted.isPresent()) {
            return admitted.get();
        }
        throw new OperationFailedException("Ingress " + ns + "/" + name + " was not admitted within "
                + timeout.toSeconds() + "s (no load balancer address in its status). " + ingressDiagnostics(current));
    }

    /** The first address in the Gateway's status, if it reports one. */
    Optional<String> gatewayAddress(ExposeSettings.Gateway gateway) {
        Gateway gw = retry.call("read Gateway " + gateway.namespace() + "/" + gateway.name(),
                () -> client.resources(Gateway.class).inNamespace(gateway.namespace()).withName(gateway.name()).get());
        if (gw == null || gw.getStatus() == null || gw.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        return gw.getStatus().getAddresses().stream().findFirst().map(GatewayStatusAddress::getValue);
    }

    void awaitHttpRoute(HTTPRoute current, ExposeSettings.Gateway gateway, Duration timeout) {
        if (accepted(current, gateway)) {
            return;
        }
        String ns = current.getMetadata().getNamespace();
        String name = current.getMetadata().getName();
        progress.waiting("waiting up to " + timeout.toSeconds() + "s for HTTPRoute " + ns + "/" + name
                + " to be accepted by Gateway " + gateway.namespace() + "/" + gateway.name());
        Optional<Boolean> accepted = WatchedObjects.await("HTTPRoute " + ns + "/" + name + " to be accepted",
                client.resources(HTTPRoute.class).inNamespace(ns).withField("metadata.name", name),
                items -> items.stream().anyMatch(r -> accepted(r, gateway)) ? Optional.of(true) : Optional.empty(),
                timeout, retry, progress);
        if (accepted.isEmpty()) {
            HTTPRoute last = retry.call("read HTTPRoute " + ns + "/" + name, () ->
                    client.resources(HTTPRoute.class).inNamespace(ns).withName(name).get());
            throw new OperationFailedException("HTTPRoute " + ns + "/" + name + " was not accepted within "
                    + timeout.toSeconds() + "s. " + routeDiagnostics(last, gateway));
        }
    }

    private String ingressDiagnostics(Ingress ingress) {
        List<String> facts = new ArrayList<>();
        String cls = ingress.getSpec().getIngressClassName();
        try {
            boolean exists = retry.call("read IngressClass " + cls,
                    () -> client.network().v1().ingressClasses().withName(cls).get()) != null;
            facts.add(exists ? "IngressClass '" + cls + "' exists, but its controller set no address (is the "
                    + "controller running and watching this namespace?)"
                    : "IngressClass '" + cls + "' does not exist: install an ingress controller for it or set "
                    + "domains.ingressClassName");
        } catch (KubernetesClientException e) {
            facts.add("IngressClass '" + cls + "' could not be read: " + ApiRetry.serverMessage(e));
        }
        facts.addAll(events(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName()));
        return String.join("; ", facts) + ".";
    }

    private String routeDiagnostics(HTTPRoute route, ExposeSettings.Gateway gateway) {
        List<String> facts = new ArrayList<>();
        Optional<Condition> condition = acceptedCondition(route, gateway);
        if (condition.isPresent()) {
            facts.add("Gateway " + gateway.namespace() + "/" + gateway.name() + " reports Accepted="
                    + condition.get().getStatus() + " reason " + condition.get().getReason() + ": "
                    + condition.get().getMessage());
        } else {
            try {
                boolean exists = retry.call("read Gateway " + gateway.name(), () -> client.resources(Gateway.class)
                        .inNamespace(gateway.namespace()).withName(gateway.name()).get()) != null;
                facts.add(exists ? "Gateway " + gateway.namespace() + "/" + gateway.name() + " exists but no "
                        + "controller reported on the route (does its listener allow routes from this namespace?)"
                        : "Gateway " + gateway.namespace() + "/" + gateway.name() + " does not exist: create it or "
                        + "set domains.gateway");
            } catch (KubernetesClientException e) {
                facts.add("Gateway " + gateway.namespace() + "/" + gateway.name() + " could not be read: "
                        + ApiRetry.serverMessage(e) + " (is the Gateway API installed?)");
            }
        }
        if (route != null) {
            facts.addAll(events(route.getMetadata().getNamespace(), route.getMetadata().getName()));
        }
        return String.join("; ", facts) + ".";
    }

    private List<String> events(String namespace, String name) {
        try {
            return retry.call("list events in " + namespace, () -> client.v1().events().inNamespace(namespace).list())
                    .getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && Objects.equals(name, e.getInvolvedObject().getName()))
                    .map(RouteAdmission::describe).limit(5).toList();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    private static String describe(Event e) {
        return "event " + e.getType() + " " + e.getReason() + ": " + e.getMessage();
    }
}
