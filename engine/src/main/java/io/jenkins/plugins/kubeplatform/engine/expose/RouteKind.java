package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Locale;

/** Which object routes traffic for a host. */
public enum RouteKind {
    /** {@code networking.k8s.io/v1} Ingress, admitted by an ingress controller of its class. */
    INGRESS("ingress", "Ingress"),
    /** {@code gateway.networking.k8s.io/v1} HTTPRoute attached to a Gateway. */
    HTTPROUTE("httproute", "HTTPRoute"),
    /** No route object: only the platform's own nginx routes the host (nginx mode). */
    NONE("none", "");

    private final String id;
    private final String objectKind;

    RouteKind(String id, String objectKind) {
        this.id = id;
        this.objectKind = objectKind;
    }

    public String id() {
        return id;
    }

    /** The Kubernetes kind of the route object, empty for {@link #NONE}. */
    public String objectKind() {
        return objectKind;
    }

    /** Whether a route of this kind is an object in the cluster. */
    public boolean hasObject() {
        return !objectKind.isEmpty();
    }

    /** The kind recorded as {@code id} (e.g. in the domain registry), if it is one. */
    public static java.util.Optional<RouteKind> fromId(String id) {
        for (RouteKind kind : values()) {
            if (kind.id.equals(id)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }

    public static RouteKind parse(String field, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (RouteKind kind : values()) {
            if (kind.id.equals(v)) {
                return kind;
            }
        }
        throw new InvalidInputException(field, "must be one of ingress, httproute, none; got '"
                + io.jenkins.plugins.kubeplatform.engine.core.Require.printable(String.valueOf(value)) + "'");
    }
}
