package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EXP-11: an Ingress or HTTPRoute created outside Jenkins without a host, in a managed namespace or labelled
 * {@code kubeplatform.jenkins.io/expose=true}, gets a generated host by exactly exposeApp's rules and claims
 * ({@link HostAllocator}); the owner is the object ({@code namespace/name}). The host is written back to the object,
 * which is labelled for the sync so the same pass serves it; conflicts become Warning Events on the object.
 */
final class HostGenerator {

    static final String REASON_GENERATED = "HostGenerated";
    static final String REASON_CONFLICT = "HostConflict";

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final HostAllocator allocator;
    private final ApiRetry retry;
    private final ObjectEvents events;

    HostGenerator(KubernetesClient client, ExposeSettings settings, HostAllocator allocator, ApiRetry retry,
            ObjectEvents events) {
        this.client = client;
        this.settings = settings;
        this.allocator = allocator;
        this.retry = retry;
        this.events = events;
    }

    /** Gives every eligible host-less route a host; returns how many it changed. */
    int generate(RouteHosts.Observation observed, List<String> changes, List<String> conflicts) {
        int generated = 0;
        for (Ingress ingress : observed.hostlessIngresses()) {
            if (eligible(ingress.getMetadata())
                    && generateFor(ingress, RouteKind.INGRESS, observed.routes(), changes, conflicts)) {
                generated++;
            }
        }
        for (HTTPRoute route : observed.hostlessHttpRoutes()) {
            if (eligible(route.getMetadata())
                    && generateFor(route, RouteKind.HTTPROUTE, observed.routes(), changes, conflicts)) {
                generated++;
            }
        }
        return generated;
    }

    private boolean eligible(ObjectMeta meta) {
        return meta.getDeletionTimestamp() == null
                && (RouteHosts.labelled(meta) || settings.generateIn().contains(meta.getNamespace()));
    }

    private boolean generateFor(HasMetadata object, RouteKind kind, List<RouteRef> routes, List<String> changes,
            List<String> conflicts) {
        ObjectMeta meta = object.getMetadata();
        String describe = kind.objectKind() + " " + meta.getNamespace() + "/" + meta.getName();
        Owner owner = new Owner(meta.getNamespace(), meta.getName());
        HostClaim claim;
        try {
            claim = allocator.claim(owner, Optional.empty(), settings.conflictPolicy(),
                    SyncPlan.syncRequester(kind.id(), meta.getNamespace(), meta.getName()), null, routes, changes);
        } catch (OperationFailedException | InvalidInputException e) {
            events.warning(object, REASON_CONFLICT, e.getMessage());
            conflicts.add(describe + " has no host and none could be generated: " + e.getMessage());
            return false;
        }
        String host = claim.host();
        boolean written = Conflicts.retry("write host " + host + " to " + describe, 5, () -> kind == RouteKind.INGRESS
                ? writeIngress(meta, host, owner) : writeHttpRoute(meta, host, owner));
        if (written) {
            changes.add("generated host " + host + " for " + describe);
            events.normal(object, REASON_GENERATED, "host " + host + " generated for " + describe
                    + " by kubernetes-platform-steps (owner " + owner.namespace() + "/" + owner.app() + ")");
        }
        return written;
    }

    private boolean writeIngress(ObjectMeta meta, String host, Owner owner) {
        var resource = client.network().v1().ingresses().inNamespace(meta.getNamespace()).withName(meta.getName());
        Ingress live = retry.call("read Ingress " + meta.getNamespace() + "/" + meta.getName(), resource::get);
        if (live == null || live.getSpec() == null || !RouteHosts.fromIngress(live).isEmpty()) {
            return false; // gone, or someone gave it a host meanwhile
        }
        List<IngressRule> rules = new ArrayList<>(live.getSpec().getRules() == null ? List.of() : live.getSpec().getRules());
        if (rules.isEmpty()) {
            if (live.getSpec().getDefaultBackend() == null) {
                return false; // nothing to route
            }
            rules.add(new IngressRuleBuilder().withNewHttp().addToPaths(new HTTPIngressPathBuilder().withPath("/")
                    .withPathType("Prefix").withBackend(live.getSpec().getDefaultBackend()).build()).endHttp().build());
        }
        rules.forEach(r -> r.setHost(host));
        live.getSpec().setRules(rules);
        mark(live.getMetadata(), owner);
        retry.call("update Ingress " + meta.getNamespace() + "/" + meta.getName(),
                () -> client.network().v1().ingresses().inNamespace(meta.getNamespace()).resource(live).update());
        return true;
    }

    private boolean writeHttpRoute(ObjectMeta meta, String host, Owner owner) {
        var routes = client.resources(HTTPRoute.class).inNamespace(meta.getNamespace());
        HTTPRoute live = retry.call("read HTTPRoute " + meta.getNamespace() + "/" + meta.getName(),
                () -> routes.withName(meta.getName()).get());
        if (live == null || live.getSpec() == null || !RouteHosts.fromHttpRoute(live).isEmpty()) {
            return false;
        }
        live.getSpec().setHostnames(new ArrayList<>(List.of(host)));
        mark(live.getMetadata(), owner);
        retry.call("update HTTPRoute " + meta.getNamespace() + "/" + meta.getName(), () -> routes.resource(live).update());
        return true;
    }

    /** Labels the object for the sync and records its owner, as exposeApp does for its own routes. */
    private static void mark(ObjectMeta meta, Owner owner) {
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(ExposeLabels.EXPOSE, "true");
        meta.setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(ExposeLabels.APP_ANNOTATION, owner.app());
        meta.setAnnotations(annotations);
    }
}
