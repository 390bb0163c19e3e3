package io.jenkins.plugins.kubeplatform.engine.expose;

import java.util.Optional;

/**
 * One host served by an Ingress or HTTPRoute somewhere in the cluster.
 *
 * @param owner    the exposeApp owner recorded on the object, empty for objects made by other tools
 * @param labelled whether the object carries {@link ExposeLabels#EXPOSE}, i.e. the platform should serve it
 * @param service  the backend Service of the first rule, if any
 * @param port     the backend port of the first rule, 0 if none or named
 * @param upstream the nginx upstream annotation, if any
 * @param tlsSecret the TLS Secret (in the route's namespace) an Ingress names for this host, if any
 */
public record RouteRef(RouteKind kind, String namespace, String name, String host, Optional<Owner> owner,
        boolean labelled, Optional<String> service, int port, Optional<String> upstream, Optional<String> tlsSecret) {

    public RouteRef(RouteKind kind, String namespace, String name, String host, Optional<Owner> owner,
            boolean labelled, Optional<String> service, int port, Optional<String> upstream) {
        this(kind, namespace, name, host, owner, labelled, service, port, upstream, Optional.empty());
    }

    public String describe() {
        return kind.objectKind() + " " + namespace + "/" + name;
    }

    /** The owner to name in messages: the recorded app, else the object itself. */
    public String holder() {
        return owner.map(Owner::toString).orElse(describe());
    }
}
