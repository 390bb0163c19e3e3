package io.jenkins.plugins.kubeplatform.sim;

import java.time.Instant;

/**
 * One API request as the simulated server saw it. {@code verb} is the Kubernetes RBAC verb (get, list, watch, create,
 * update, patch, delete, deletecollection); {@code method} the HTTP method. {@code group} is empty for the core
 * group; {@code resource}, {@code namespace}, {@code name} and {@code subresource} are empty when the path has none
 * (discovery requests have an empty resource). {@code internal} marks requests made by the simulation's own
 * controllers.
 */
public record ApiRequest(Instant at, String method, String verb, String path, String query, int status,
        String group, String version, String resource, String namespace, String name, String subresource,
        boolean internal, boolean dryRun) {

    /** Whether this request changed the cluster's stored state (a successful, non-dry-run write). */
    public boolean persisted() {
        return !dryRun && status < 300 && !verb.equals("get") && !verb.equals("list") && !verb.equals("watch")
                && !isReview();
    }

    /**
     * Whether this is an access or token review ({@code kubectl auth can-i}, the steps' permission pre-check,
     * TokenReview): a {@code create} that asks a question and stores nothing.
     */
    public boolean isReview() {
        return (group.equals("authorization.k8s.io") || group.equals("authentication.k8s.io"))
                && resource.endsWith("reviews");
    }

    /** {@code resource} or {@code resource/subresource}, the way RBAC rules name it. */
    public String rbacResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** The request target as sent: path plus {@code ?query} when there is one. */
    public String pathAndQuery() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** Whether this was a discovery or version request rather than a resource request. */
    public boolean isDiscovery() {
        return resource.isEmpty();
    }

    @Override
    public String toString() {
        return verb + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status + (internal ? " (sim)" : "");
    }
}
