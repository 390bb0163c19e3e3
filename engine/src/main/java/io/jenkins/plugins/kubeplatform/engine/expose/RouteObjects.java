package io.jenkins.plugins.kubeplatform.engine.expose;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Desired objects as pure functions of the request and settings, and the comparison with live objects. */
public final class RouteObjects {

    private RouteObjects() {
    }

    /** What the route object for one host looks like. */
    public record RouteSpec(String namespace, String name, String host, String service, int port, Owner owner,
            String upstream) {
    }

    /** A Service selecting the app's pods by {@code app.kubernetes.io/name}, created only when none exists. */
    public static Service service(String namespace, String name, int port, int targetPort) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(ExposeLabels.MANAGED_BY, ExposeLabels.MANAGER)
                .addToLabels(ExposeLabels.APP_NAME, name)
                .addToAnnotations(SharedObjects.OWNER_STEP, ExposeLabels.STEP)
                .endMetadata()
                .withNewSpec()
                .addToSelector(ExposeLabels.APP_NAME, name)
                .addNewPort().withName("http").withProtocol("TCP").withPort(port)
                .withTargetPort(new IntOrString(targetPort)).endPort()
                .endSpec()
                .build();
    }

    /** The port exposeApp adds to a Service another step owns; named so it cannot clash with the owner's names. */
    public static ServicePort addedPort(int port, int targetPort) {
        return new ServicePortBuilder().withName("expose-" + port).withProtocol("TCP").withPort(port)
                .withTargetPort(new IntOrString(targetPort)).build();
    }

    public static Ingress ingress(ExposeSettings settings, RouteSpec r) {
        Map<String, String> annotations = annotations(r);
        ExposeSettings.Tls tls = settings.tls();
        if (tls != null && tls.clusterIssuer() != null) {
            annotations.put("cert-manager.io/cluster-issuer", tls.clusterIssuer());
        }
        if (tls != null && tls.issuer() != null) {
            annotations.put("cert-manager.io/issuer", tls.issuer());
        }
        IngressBuilder b = new IngressBuilder()
                .withMetadata(meta(r, annotations))
                .withNewSpec()
                .withIngressClassName(settings.ingressClassName())
                .addNewRule().withHost(r.host()).withNewHttp()
                .addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(r.service()).withNewPort().withNumber(r.port()).endPort()
                .endService().endBackend()
                .endPath().endHttp().endRule()
                .endSpec();
        if (tls != null) {
            String secret = tls.secretName() != null ? tls.secretName() : r.name() + "-tls";
            b.editSpec().withTls(new IngressTLSBuilder().withHosts(r.host()).withSecretName(secret).build()).endSpec();
        }
        return b.build();
    }

    public static HTTPRoute httpRoute(ExposeSettings settings, RouteSpec r) {
        ParentReferenceBuilder parent = new ParentReferenceBuilder().withGroup("gateway.networking.k8s.io")
                .withKind("Gateway").withNamespace(settings.gateway().namespace()).withName(settings.gateway().name());
        if (settings.gateway().sectionName() != null) {
            parent.withSectionName(settings.gateway().sectionName());
        }
        return new HTTPRouteBuilder()
                .withMetadata(meta(r, annotations(r)))
                .withNewSpec()
                .withParentRefs(parent.build())
                .withHostnames(r.host())
                .addNewRule()
                .addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch()
                .addNewBackendRef().withName(r.service()).withPort(r.port()).endBackendRef()
                .endRule()
                .endSpec()
                .build();
    }

    /** Whether the live object already has every label, annotation and spec field we want (server defaults ignored). */
    public static boolean covers(Object live, Object desired) {
        JsonNode l = Json.mapper().valueToTree(live);
        JsonNode d = Json.mapper().valueToTree(desired);
        return contains(l.path("metadata").path("labels"), d.path("metadata").path("labels"))
                && contains(l.path("metadata").path("annotations"), d.path("metadata").path("annotations"))
                && contains(l.path("spec"), d.path("spec"));
    }

    /** Whether an object carries the owner annotations of exposeApp, and for whom. */
    public static boolean ownedBy(ObjectMeta meta, Owner owner) {
        return meta.getLabels() != null && "true".equals(meta.getLabels().get(ExposeLabels.EXPOSE))
                && owner.namespace().equals(meta.getNamespace())
                && meta.getAnnotations() != null && owner.app().equals(meta.getAnnotations().get(ExposeLabels.APP_ANNOTATION));
    }

    /**
     * Whether exposeApp created this route object for {@code owner}: labelled managed-by this project and for the
     * sync, in the owner's namespace, with the owner's app recorded. Routes made by other tools (also ones whose host
     * the sync generated) and routes of other apps are never this.
     */
    public static boolean createdFor(ObjectMeta meta, Owner owner) {
        return meta != null && meta.getLabels() != null
                && ExposeLabels.MANAGER.equals(meta.getLabels().get(ExposeLabels.MANAGED_BY))
                && ownedBy(meta, owner);
    }

    /** Fails unless an existing route object of this name may be taken over by {@code owner}'s expose. */
    static void requireOurs(ObjectMeta meta, String kind, Owner owner) {
        boolean managed = meta.getLabels() != null && "true".equals(meta.getLabels().get(ExposeLabels.EXPOSE));
        String app = meta.getAnnotations() == null ? null : meta.getAnnotations().get(ExposeLabels.APP_ANNOTATION);
        if (!managed || app != null && !app.equals(owner.app())) {
            throw new OperationFailedException(kind + " " + meta.getNamespace() + "/" + meta.getName() + " already "
                    + "exists and " + (managed ? "belongs to app '" + app + "'" : "is not managed by exposeApp")
                    + "; name another service for " + owner + " or remove that " + kind);
        }
    }

    /** The live metadata with the desired labels and annotations added (others' keys kept). */
    static void mergeMeta(ObjectMeta live, ObjectMeta desired) {
        live.setLabels(merge(live.getLabels(), desired.getLabels()));
        live.setAnnotations(merge(live.getAnnotations(), desired.getAnnotations()));
    }

    private static Map<String, String> merge(Map<String, String> live, Map<String, String> wanted) {
        Map<String, String> m = new LinkedHashMap<>(live == null ? Map.of() : live);
        m.putAll(wanted);
        return m;
    }

    private static ObjectMeta meta(RouteSpec r, Map<String, String> annotations) {
        return new ObjectMetaBuilder().withNamespace(r.namespace()).withName(r.name())
                .withLabels(new LinkedHashMap<>(ExposeLabels.routeLabels(r.service())))
                .withAnnotations(annotations).build();
    }

    private static Map<String, String> annotations(RouteSpec r) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ExposeLabels.APP_ANNOTATION, r.owner().app());
        annotations.put(SharedObjects.OWNER_STEP, ExposeLabels.STEP);
        if (r.upstream() != null) {
            annotations.put(ExposeLabels.UPSTREAM_ANNOTATION, r.upstream());
        }
        return annotations;
    }

    static boolean contains(JsonNode live, JsonNode desired) {
        if (desired.isMissingNode() || desired.isNull()) {
            return true;
        }
        if (desired.isObject()) {
            if (!live.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!contains(live.path(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!live.isArray() || live.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(live.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isNumber() && live.isNumber()) {
            return desired.asLong() == live.asLong();
        }
        return desired.equals(live);
    }
}
