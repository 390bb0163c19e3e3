package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.util.Optional;

/**
 * What to expose (EXP-1). Optional values override the {@code domains} settings for this request.
 *
 * @param namespace   the app's namespace
 * @param app         the app name in any script; the host and (by default) the Service name derive from it
 * @param port        the Service port
 * @param targetPort  the container port, the Service port when absent
 * @param host        an explicit host instead of the generated one
 * @param service     an explicit Service name instead of the derived one
 * @param route       ingress, httproute or none
 * @param onConflict  fail or next-free
 * @param upstream    where the platform's nginx sends requests, the Service's cluster IP and port when absent
 * @param verify      request the URL through the entry point after admission (EXP-8)
 * @param requestedBy the build or user asking, recorded on the claim and named in conflicts
 */
public record ExposeRequest(String namespace, String app, int port, Optional<Integer> targetPort,
        Optional<String> host, Optional<String> service, Optional<String> route, Optional<String> onConflict,
        Optional<String> upstream, boolean verify, String requestedBy) {

    public ExposeRequest {
        targetPort = targetPort == null ? Optional.empty() : targetPort;
        host = blankToEmpty(host);
        service = blankToEmpty(service);
        route = blankToEmpty(route);
        onConflict = blankToEmpty(onConflict);
        upstream = blankToEmpty(upstream);
        requestedBy = requestedBy == null || requestedBy.isBlank() ? "unknown" : requestedBy;
    }

    /** The common case: generated host, derived Service, settings' route. */
    public static ExposeRequest of(String namespace, String app, int port, String requestedBy) {
        return builder().namespace(namespace).app(app).port(port).requestedBy(requestedBy).build();
    }

    /** An empty builder; blank optional values mean "use the settings' default". */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().namespace(namespace).app(app).port(port).targetPort(targetPort.orElse(null))
                .host(host.orElse(null)).service(service.orElse(null)).route(route.orElse(null))
                .onConflict(onConflict.orElse(null)).upstream(upstream.orElse(null)).verify(verify)
                .requestedBy(requestedBy);
    }

    /** Collects a request's values; {@link #build()} normalises them and {@link #validate} checks them. */
    public static final class Builder {
        private String namespace;
        private String app;
        private int port;
        private Integer targetPort;
        private String host;
        private String service;
        private String route;
        private String onConflict;
        private String upstream;
        private boolean verify;
        private String requestedBy;

        private Builder() {
        }

        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        public Builder app(String value) {
            app = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder targetPort(Integer value) {
            targetPort = value;
            return this;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder service(String value) {
            service = value;
            return this;
        }

        public Builder route(String value) {
            route = value;
            return this;
        }

        public Builder onConflict(String value) {
            onConflict = value;
            return this;
        }

        public Builder upstream(String value) {
            upstream = value;
            return this;
        }

        public Builder verify(boolean value) {
            verify = value;
            return this;
        }

        public Builder requestedBy(String value) {
            requestedBy = value;
            return this;
        }

        public ExposeRequest build() {
            return new ExposeRequest(namespace, app, port, Optional.ofNullable(targetPort), Optional.ofNullable(host),
                    Optional.ofNullable(service), Optional.ofNullable(route), Optional.ofNullable(onConflict),
                    Optional.ofNullable(upstream), verify, requestedBy);
        }
    }

    /** Checks every field; the app name may be in any script but not contain control characters. */
    Validated validate(ExposeSettings settings) {
        String ns = Require.dnsLabel("namespace", namespace);
        String name = Require.nonBlank("app", app);
        if (name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029)) {
            throw new InvalidInputException("app", "must not contain control characters or line breaks; got '"
                    + Require.printable(name) + "'");
        }
        if (name.length() > 253) {
            throw new InvalidInputException("app", "must be at most 253 characters; got " + name.length());
        }
        int p = Require.range("port", port, 1, 65535);
        int tp = Require.range("targetPort", targetPort.orElse(p), 1, 65535);
        Optional<String> h = host.map(v -> NginxServerBlock.checkHost("host", v));
        String svc = service.map(v -> Require.dnsLabel("service", v)).orElseGet(() -> DnsNames.serviceName(name));
        // the one place a request's route kind is decided: its own, else the settings'
        RouteKind kind = route.isPresent() ? RouteKind.parse("route", route.get()) : settings.routeKind();
        ConflictPolicy policy = ConflictPolicy.parse("onConflict",
                onConflict.orElse(settings.onConflict() == null ? "fail" : settings.onConflict()));
        Optional<String> up = upstream.map(v -> NginxServerBlock.checkUpstream("upstream", v));
        if (kind == RouteKind.NONE && settings.nginxMode().isEmpty()) {
            throw new InvalidInputException("route", "'none' serves the host only through the platform's nginx, "
                    + "but domains.nginx is not configured");
        }
        if (up.isPresent() && settings.nginxMode().isEmpty()) {
            throw new InvalidInputException("upstream", "is used only by the platform's nginx, but domains.nginx is "
                    + "not configured");
        }
        if (requestedBy.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("requestedBy", "must not contain control characters");
        }
        return new Validated(new Owner(ns, name), p, tp, h, svc, kind, policy, up);
    }

    record Validated(Owner owner, int port, int targetPort, Optional<String> host, String service, RouteKind route,
            ConflictPolicy onConflict, Optional<String> upstream) {
    }

    private static Optional<String> blankToEmpty(Optional<String> v) {
        return v == null ? Optional.empty() : v.map(String::trim).filter(s -> !s.isEmpty());
    }
}
