package io.jenkins.plugins.kubeplatform.sim.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One API request as RBAC sees it: verb, API group, resource, subresource, namespace and name.
 *
 * @param apiGroup "" for the core group
 * @param subresource "" when the request is on the resource itself
 * @param namespace "" for cluster-scoped requests
 * @param name "" for collection requests
 */
public record ResourceRequest(String verb, String apiGroup, String resource, String subresource, String namespace,
                              String name) {

    /** {@code resource} or {@code resource/subresource}, the form RBAC rules use. */
    public String qualifiedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    @Override
    public String toString() {
        return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + qualifiedResource()
                + (namespace.isEmpty() ? "" : " in " + namespace);
    }

    /**
     * Maps an HTTP request to the RBAC request the API server would authorize; empty for non-resource paths
     * (discovery, version, OpenAPI), which every authenticated user may read.
     */
    public static Optional<ResourceRequest> fromHttp(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        List<String> segments = Arrays.stream(uri.getRawPath().split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        int rest;
        if (segments.size() >= 2 && segments.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = 3;
        } else {
            return Optional.empty();
        }
        List<String> parts = segments.subList(rest, segments.size());
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() >= 3) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        String resource = parts.get(0);
        String name = parts.size() > 1 ? parts.get(1) : "";
        String subresource = parts.size() > 2 ? parts.get(2) : "";
        if (resource.equals("namespaces") && !name.isEmpty()) {
            namespace = name;
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        boolean watch = Arrays.stream(query.split("&")).anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
        String verb = switch (method.toUpperCase()) {
            case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        return Optional.of(new ResourceRequest(verb, group, resource, subresource, namespace, name));
    }
}
