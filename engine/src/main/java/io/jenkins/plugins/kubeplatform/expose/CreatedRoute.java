package io.jenkins.plugins.kubeplatform.expose;

import java.util.List;

/** A route object exposeApp created for an owner, as a release finds it: what it deletes. */
record CreatedRoute(RouteKind kind, String namespace, String name, List<String> hosts) {

    String describe() {
        return kind.objectKind() + " " + namespace + "/" + name;
    }
}
