package io.jenkins.plugins.kubeplatform.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A request path split the way the API server routes it. Package-private: used for logging and routing. */
record ApiPath(String path, String query, String group, String version, String resource, String namespace,
        String name, String subresource) {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    static ApiPath parse(String rawPath) {
        String path = rawPath;
        String query = "";
        int q = rawPath.indexOf('?');
        if (q >= 0) {
            path = rawPath.substring(0, q);
            query = rawPath.substring(q + 1);
        }
        List<String> seg = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                seg.add(s);
            }
        }
        String group = "";
        String version = "";
        int i;
        if (seg.size() >= 2 && seg.get(0).equals("api")) {
            version = seg.get(1);
            i = 2;
        } else if (seg.size() >= 3 && seg.get(0).equals("apis")) {
            group = seg.get(1);
            version = seg.get(2);
            i = 3;
        } else {
            return new ApiPath(path, query, "", "", "", "", "", "");
        }
        List<String> rest = seg.subList(i, seg.size());
        if (!rest.isEmpty() && rest.get(0).equals("watch")) {
            rest = rest.subList(1, rest.size());
        }
        String namespace = "";
        if (rest.size() >= 2 && rest.get(0).equals("namespaces")) {
            if (rest.size() == 2 || (rest.size() == 3 && NAMESPACE_SUBRESOURCES.contains(rest.get(2)))) {
                return new ApiPath(path, query, group, version, "namespaces", "", rest.get(1),
                        rest.size() == 3 ? rest.get(2) : "");
            }
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.size() > 0 ? rest.get(0) : "";
        String name = rest.size() > 1 ? rest.get(1) : "";
        String sub = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
        return new ApiPath(path, query, group, version, resource, namespace, name, sub);
    }

    boolean isWatch() {
        return path.contains("/watch/") || hasQueryFlag("watch");
    }

    private boolean hasQueryFlag(String key) {
        for (String part : query.split("&")) {
            if (part.equals(key + "=true") || part.equals(key + "=1") || part.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The RBAC verb for an HTTP method on this path. */
    String verb(String method) {
        return switch (method.toUpperCase(java.util.Locale.ROOT)) {
            case "GET", "HEAD" -> isWatch() ? "watch" : name.isEmpty() && !resource.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
