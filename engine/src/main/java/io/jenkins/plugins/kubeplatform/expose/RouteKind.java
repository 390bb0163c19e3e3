package io.jenkins.plugins.kubeplatform.expose;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.util.Locale;

/** Which object routes traffic for a host. */
public enum RouteKind {
    /** {@code networking.k8s.io/v1} Ingress, admitted by an ingress controller of its class. */
    INGRESS("ingress"),
    /** {@code gateway.networking.k8s.io/v1} HTTPRoute attached to a Gateway. */
    HTTPROUTE("httproute"),
    /** No route object: only the platform's own nginx routes the host (nginx mode). */
    NONE("none");

    private final String id;

    RouteKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static RouteKind parse(String field, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (RouteKind kind : values()) {
            if (kind.id.equals(v)) {
                return kind;
            }
        }
        throw new InvalidInputException(field, "must be one of ingress, httproute, none; got '"
                + io.jenkins.plugins.kubeplatform.core.Require.printable(String.valueOf(value)) + "'");
    }
}
