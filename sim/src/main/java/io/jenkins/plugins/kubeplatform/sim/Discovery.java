package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.jenkins.plugins.kubeplatform.sim.api.Patches;

/**
 * The legacy discovery documents ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>})
 * for the built-in kinds the simulation serves plus every CRD in the store, so that {@code kubectl --server} can
 * map kinds and short names to resources.
 */
final class Discovery {

    record Kind(String group, String version, String plural, String kind, boolean namespaced,
            String... shortNames) {
    }

    private static final List<Kind> BUILT_IN = List.of(
            new Kind("", "v1", "pods", "Pod", true, "po"),
            new Kind("", "v1", "services", "Service", true, "svc"),
            new Kind("", "v1", "endpoints", "Endpoints", true, "ep"),
            new Kind("", "v1", "nodes", "Node", false, "no"),
            new Kind("", "v1", "namespaces", "Namespace", false, "ns"),
            new Kind("", "v1", "configmaps", "ConfigMap", true, "cm"),
            new Kind("", "v1", "secrets", "Secret", true),
            new Kind("", "v1", "events", "Event", true, "ev"),
            new Kind("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
            new Kind("", "v1", "persistentvolumes", "PersistentVolume", false, "pv"),
            new Kind("", "v1", "serviceaccounts", "ServiceAccount", true, "sa"),
            new Kind("", "v1", "replicationcontrollers", "ReplicationController", true, "rc"),
            new Kind("", "v1", "resourcequotas", "ResourceQuota", true, "quota"),
            new Kind("", "v1", "limitranges", "LimitRange", true, "limits"),
            new Kind("apps", "v1", "deployments", "Deployment", true, "deploy"),
            new Kind("apps", "v1", "replicasets", "ReplicaSet", true, "rs"),
            new Kind("apps", "v1", "statefulsets", "StatefulSet", true, "sts"),
            new Kind("apps", "v1", "daemonsets", "DaemonSet", true, "ds"),
            new Kind("apps", "v1", "controllerrevisions", "ControllerRevision", true),
            new Kind("batch", "v1", "jobs", "Job", true),
            new Kind("batch", "v1", "cronjobs", "CronJob", true, "cj"),
            new Kind("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, "pdb"),
            new Kind("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
            new Kind("networking.k8s.io", "v1", "ingresses", "Ingress", true, "ing"),
            new Kind("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false),
            new Kind("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, "netpol"),
            new Kind("coordination.k8s.io", "v1", "leases", "Lease", true),
            new Kind("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, "pc"),
            new Kind("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
            new Kind("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
            new Kind("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
            new Kind("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
            new Kind("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false),
            new Kind("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false),
            new Kind("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
                    "crd", "crds"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The built-in resource {@code plural} of {@code group/version}, if the simulation serves it. */
    static Optional<Kind> builtIn(String group, String version, String plural) {
        return BUILT_IN.stream().filter(k -> k.group().equals(group) && k.version().equals(version)
                && k.plural().equals(plural)).findFirst();
    }

    /** The kind of a built-in resource ({@code group} empty for the core group). */
    static Optional<String> kindOf(String group, String resource) {
        return BUILT_IN.stream().filter(k -> k.group().equals(group) && k.plural().equals(resource))
                .map(Kind::kind).findFirst();
    }

    private final Dispatcher store;

    Discovery(Dispatcher store) {
        this.store = store;
    }

    /** The discovery document for this GET path, if it is one. */
    Optional<MockResponse> answer(String path) {
        List<Kind> kinds = kinds();
        if (path.equals("/api")) {
            ObjectNode doc = JSON.createObjectNode().put("kind", "APIVersions");
            doc.putArray("versions").add("v1");
            return Optional.of(json(doc));
        }
        if (path.equals("/apis")) {
            ObjectNode doc = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = doc.putArray("groups");
            Map<String, List<String>> versions = new LinkedHashMap<>();
            for (Kind k : kinds) {
                if (!k.group().isEmpty()) {
                    List<String> vs = versions.computeIfAbsent(k.group(), g -> new ArrayList<>());
                    if (!vs.contains(k.version())) {
                        vs.add(k.version());
                    }
                }
            }
            versions.forEach((group, vs) -> {
                ObjectNode g = groups.addObject().put("name", group);
                ArrayNode list = g.putArray("versions");
                for (String v : vs) {
                    list.addObject().put("groupVersion", group + "/" + v).put("version", v);
                }
                g.putObject("preferredVersion").put("groupVersion", group + "/" + vs.get(0)).put("version", vs.get(0));
            });
            return Optional.of(json(doc));
        }
        String[] parts = path.split("/");
        String group;
        String version;
        if (parts.length == 3 && parts[1].equals("api")) {
            group = "";
            version = parts[2];
        } else if (parts.length == 4 && parts[1].equals("apis")) {
            group = parts[2];
            version = parts[3];
        } else {
            return Optional.empty();
        }
        List<Kind> inGroup = kinds.stream().filter(k -> k.group().equals(group) && k.version().equals(version))
                .toList();
        if (inGroup.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (Kind k : inGroup) {
            ObjectNode r = resources.addObject().put("name", k.plural()).put("singularName",
                    k.kind().toLowerCase(java.util.Locale.ROOT)).put("namespaced", k.namespaced()).put("kind", k.kind());
            ArrayNode verbs = r.putArray("verbs");
            for (String v : List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
                    "watch")) {
                verbs.add(v);
            }
            ArrayNode shortNames = r.putArray("shortNames");
            for (String s : k.shortNames()) {
                shortNames.add(s);
            }
            if (k.plural().equals("pods")) {
                resources.addObject().put("name", "pods/eviction").put("namespaced", true).put("kind", "Eviction")
                        .put("group", "policy").put("version", "v1").putArray("verbs").add("create");
                resources.addObject().put("name", "pods/status").put("namespaced", true).put("kind", "Pod")
                        .putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return Optional.of(json(doc));
    }

    /** Media type of the aggregated discovery documents (kubectl v1.32 asks for it first on /api and /apis). */
    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    /** The kinds {@code kubectl get all} lists (their {@code categories: [all]}). */
    private static final java.util.Set<String> CATEGORY_ALL = java.util.Set.of("pods", "services",
            "replicationcontrollers", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs");
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    /**
     * The aggregated discovery document ({@code apidiscovery.k8s.io/v2 APIGroupDiscoveryList}) of {@code /api}
     * (the core group) or {@code /apis} (every other group): each group, its versions and their resources with
     * verbs, scope, short names, categories and subresources, in one response instead of one per group/version.
     */
    Optional<MockResponse> aggregated(String path) {
        boolean core = path.equals("/api");
        if (!core && !path.equals("/apis")) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.createObjectNode().put("kind", "APIGroupDiscoveryList")
                .put("apiVersion", "apidiscovery.k8s.io/v2");
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        Map<String, Map<String, List<Kind>>> groups = new LinkedHashMap<>();
        for (Kind k : kinds()) {
            if (k.group().isEmpty() == core) {
                groups.computeIfAbsent(k.group(), g -> new LinkedHashMap<>())
                        .computeIfAbsent(k.version(), v -> new ArrayList<>()).add(k);
            }
        }
        groups.forEach((group, versions) -> {
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!group.isEmpty()) {
                metadata.put("name", group);
            }
            metadata.putNull("creationTimestamp");
            ArrayNode vs = item.putArray("versions");
            versions.forEach((version, kinds) -> {
                ObjectNode v = vs.addObject().put("version", version);
                ArrayNode resources = v.putArray("resources");
                for (Kind k : kinds) {
                    resources.add(resource(k));
                }
                v.put("freshness", "Current");
            });
        });
        try {
            return Optional.of(new MockResponse().setResponseCode(200).setHeader("Content-Type", AGGREGATED)
                    .setBody(JSON.writeValueAsString(doc)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode resource(Kind k) {
        ObjectNode r = JSON.createObjectNode().put("resource", k.plural());
        r.putObject("responseKind").put("group", "").put("version", "").put("kind", k.kind());
        r.put("scope", k.namespaced() ? "Namespaced" : "Cluster")
                .put("singularResource", k.kind().toLowerCase(java.util.Locale.ROOT));
        ArrayNode verbs = r.putArray("verbs");
        VERBS.forEach(verbs::add);
        if (k.shortNames().length > 0) {
            ArrayNode shortNames = r.putArray("shortNames");
            for (String s : k.shortNames()) {
                shortNames.add(s);
            }
        }
        if (CATEGORY_ALL.contains(k.plural()) && Patches.BUILT_IN_GROUPS.contains(k.group())) {
            r.putArray("categories").add("all");
        }
        ArrayNode subresources = JSON.createArrayNode();
        if (k.plural().equals("pods") && k.group().isEmpty()) {
            subresource(subresources, "eviction", "policy", "v1", "Eviction", "create");
            subresource(subresources, "log", "", "", "Pod", "get");
            subresource(subresources, "status", "", "", "Pod", "get", "patch", "update");
        }
        if (k.plural().equals("serviceaccounts") && k.group().isEmpty()) {
            subresource(subresources, "token", "authentication.k8s.io", "v1", "TokenRequest", "create");
        }
        if (java.util.Set.of("deployments", "replicasets", "statefulsets").contains(k.plural())
                && k.group().equals("apps")) {
            subresource(subresources, "scale", "autoscaling", "v1", "Scale", "get", "patch", "update");
            subresource(subresources, "status", "", "", k.kind(), "get", "patch", "update");
        }
        if (!subresources.isEmpty()) {
            r.set("subresources", subresources);
        }
        return r;
    }

    private static void subresource(ArrayNode into, String name, String group, String version, String kind,
            String... verbs) {
        ObjectNode s = into.addObject().put("subresource", name);
        s.putObject("responseKind").put("group", group).put("version", version).put("kind", kind);
        ArrayNode vs = s.putArray("verbs");
        for (String v : verbs) {
            vs.add(v);
        }
    }

    List<Kind> kinds() {
        List<Kind> all = new ArrayList<>(BUILT_IN);
        MockResponse crds = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET,
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Headers.builder().build(), new Buffer()));
        if (crds.code() == 200 && crds.getBody() != null) {
            try {
                JsonNode list = JSON.readTree(new String(crds.getBody().getBytes(), StandardCharsets.UTF_8));
                for (JsonNode crd : list.path("items")) {
                    JsonNode spec = crd.path("spec");
                    List<String> shorts = new ArrayList<>();
                    spec.path("names").path("shortNames").forEach(n -> shorts.add(n.asText()));
                    for (JsonNode v : spec.path("versions")) {
                        if (v.path("served").asBoolean(true)) {
                            all.add(new Kind(spec.path("group").asText(), v.path("name").asText(),
                                    spec.path("names").path("plural").asText(), spec.path("names").path("kind").asText(),
                                    !"Cluster".equals(spec.path("scope").asText()), shorts.toArray(String[]::new)));
                        }
                    }
                }
            } catch (IOException e) {
                // no CRDs listed: built-in kinds only
            }
        }
        return all;
    }

    private static MockResponse json(ObjectNode doc) {
        try {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsString(doc));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
